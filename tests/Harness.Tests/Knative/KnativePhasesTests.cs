using Harness.Backends.Knative;
using Harness.Measurement;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>Mapping observed changes to the harness's phases, on hand-worked timelines.
/// </summary>
public sealed class KnativePhasesTests
{
    private static readonly ColdStartSample Empty = new()
    {
        Workload = "w",
        Variant = "estargz",
        Repetition = 0,
        Warmup = false,
        Status = SampleStatus.Ok,
    };

    [Fact]
    public void PhasesFollowObservationsAndKubeletPull()
    {
        // Trigger at 0; Pulling 300; Pulled 1200 (kubelet: 850 ms); Created 1250;
        // Started 1400; Ready 1900; first byte 1950.
        var timeline = Timeline(
            "Successfully pulled image \"app\" in 850ms (900ms including waiting)",
            (PodStartChange.Pulling, 300),
            (PodStartChange.Pulled, 1200),
            (PodStartChange.Created, 1250),
            (PodStartChange.Started, 1400),
            (PodStartChange.Ready, 1900),
            (PodStartChange.FirstByte, 1950)
        );

        var sample = KnativePhases.Apply(Empty, timeline);

        Assert.Equal(850, sample.PullMs);
        Assert.Equal(50, sample.CreateMs);
        Assert.Equal(150, sample.StartMs);
        Assert.Equal(500, sample.ReadyMs);
        Assert.Equal(50, sample.FirstResponseMs);
        Assert.Equal(1950, sample.TotalMs);
    }

    [Fact]
    public void LateReadyEndsAtFirstByte()
    {
        var timeline = Timeline(
            null,
            (PodStartChange.Pulling, 100),
            (PodStartChange.Pulled, 600),
            (PodStartChange.Created, 650),
            (PodStartChange.Started, 700),
            (PodStartChange.FirstByte, 900),
            (PodStartChange.Ready, 950)
        );

        var sample = KnativePhases.Apply(Empty, timeline);

        // Without a parsable Pulled message the pull runs from Pulling to Pulled.
        Assert.Equal(500, sample.PullMs);
        Assert.Equal(200, sample.ReadyMs);
        Assert.Equal(0, sample.FirstResponseMs);
        Assert.Equal(900, sample.TotalMs);
    }

    [Fact]
    public void ImageAlreadyPresentMeansZeroPull()
    {
        var timeline = Timeline(
            "Container image \"app\" already present on machine",
            (PodStartChange.Pulled, 200),
            (PodStartChange.Created, 260)
        );

        var sample = KnativePhases.Apply(Empty, timeline);

        Assert.Equal(0, sample.PullMs);
        Assert.Equal(60, sample.CreateMs);
        Assert.Null(sample.StartMs);
        Assert.Null(sample.TotalMs);
    }

    private static PodStartTimeline Timeline(
        string? pulledMessage,
        params (string Change, double ElapsedMs)[] changes
    ) =>
        new()
        {
            Sequence = 0,
            ServiceName = "svc",
            PullReport = KubeletPullReport.Parse(pulledMessage),
            Observations = changes
                .Select(change => new PodStartObservation(
                    change.Change,
                    DateTimeOffset.UnixEpoch,
                    change.ElapsedMs,
                    null,
                    null
                ))
                .Prepend(
                    new PodStartObservation(
                        PodStartChange.Trigger,
                        DateTimeOffset.UnixEpoch,
                        0,
                        null,
                        null
                    )
                )
                .ToList(),
        };
}
