using Harness.Backends;
using Harness.Backends.Local;
using Harness.Experiments;
using Harness.Images;
using Harness.Measurement;
using Harness.Tests.Infrastructure;
using Harness.Tests.Node;
using Harness.Workloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Tests.Backends;

[Collection(LocalNodeCollection.Name)]
public sealed class LocalBackendTests
{
    private const int TimeoutMs = 120_000;
    private readonly NodeFixture fixture;

    public LocalBackendTests(NodeFixture fixture) => this.fixture = fixture;

    private static WorkloadManifest Busybox =>
        new()
        {
            Name = "busybox-web",
            Entrypoint = ["/bin/busybox", "httpd"],
            Port = NodeFixture.FunctionPort,
            ReadinessPath = "/index.html",
            TriggerPath = "/index.html",
        };

    [RootFact(Timeout = TimeoutMs)]
    public async Task EStargzSample_IsLazyAndPhasesAddUp()
    {
        var backend = CreateBackend(new TimeoutSettings(), new CountingTraffic());

        var sample = await backend.MeasureAsync(
            Request(ImageVariant.EStargz, fixture.EStargzImage),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Ok, sample.Status);
        Assert.Null(sample.Error);
        Assert.True(sample.Lazy);
        Assert.Equal("stargz", sample.Snapshotter);
        AssertPhasesAddUp(sample);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task OverlayfsSample_IsNotLazy()
    {
        var backend = CreateBackend(new TimeoutSettings(), new CountingTraffic());

        var sample = await backend.MeasureAsync(
            Request(ImageVariant.Overlayfs, fixture.OverlayfsImage),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Ok, sample.Status);
        Assert.False(sample.Lazy);
        Assert.Equal("overlayfs", sample.Snapshotter);
        AssertPhasesAddUp(sample);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Sample_CarriesCountersAndPlanPosition()
    {
        var traffic = new CountingTraffic();
        var backend = CreateBackend(new TimeoutSettings(), traffic);
        traffic.BytesToNode = 999;

        var sample = await backend.MeasureAsync(
            Request(ImageVariant.EStargz, fixture.EStargzImage) with
            {
                Sequence = 7,
                Repetition = 3,
                Warmup = true,
                ImageBytes = 12345,
            },
            CancellationToken.None
        );

        Assert.Equal(1, traffic.Resets);
        Assert.Equal(0, sample.BytesFetched);
        Assert.Equal(12345, sample.ImageBytes);
        Assert.Equal(7, sample.Sequence);
        Assert.Equal(3, sample.Repetition);
        Assert.True(sample.Warmup);
        Assert.Equal("busybox-web", sample.Workload);
        Assert.Equal("estargz", sample.Variant);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task MissingImage_BecomesFailedRow()
    {
        var backend = CreateBackend(new TimeoutSettings(), new CountingTraffic());
        var missing = $"{fixture.Node.Layout.RegistryAddress}/test/no-such-image:latest";

        var sample = await backend.MeasureAsync(
            Request(ImageVariant.Overlayfs, missing),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Failed, sample.Status);
        Assert.Contains("no-such-image", sample.Error);
        Assert.Null(sample.PullMs);
        Assert.Null(sample.TotalMs);
        Assert.Empty(await fixture.Node.Containerd.ListContainersAsync(CancellationToken.None));
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task NeverReadyFunction_TimesOut()
    {
        var backend = CreateBackend(
            new TimeoutSettings { ReadySeconds = 1 },
            new CountingTraffic()
        );
        var request = Request(ImageVariant.EStargz, fixture.EStargzImage) with
        {
            Workload = Busybox with { ReadinessPath = "/missing-page" },
        };

        var sample = await backend.MeasureAsync(request, CancellationToken.None);

        Assert.Equal(SampleStatus.TimedOut, sample.Status);
        Assert.Contains("ready timed out after 1 s", sample.Error);
        Assert.NotNull(sample.StartMs);
        Assert.Null(sample.ReadyMs);
        Assert.Empty(await fixture.Node.Containerd.ListContainersAsync(CancellationToken.None));
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task CancelledSample_IsInterruptedAndCleanedUp()
    {
        var backend = CreateBackend(
            new TimeoutSettings { ReadySeconds = 30 },
            new CountingTraffic()
        );
        var request = Request(ImageVariant.EStargz, fixture.EStargzImage) with
        {
            Workload = Busybox with { ReadinessPath = "/missing-page" },
        };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var sample = await backend.MeasureAsync(request, cancellation.Token);

        Assert.Equal(SampleStatus.Interrupted, sample.Status);
        Assert.Empty(await fixture.Node.Containerd.ListContainersAsync(CancellationToken.None));
    }

    private LocalBackend CreateBackend(TimeoutSettings timeouts, IRegistryTraffic traffic) =>
        new(fixture.Node, timeouts, traffic, NullLogger.Instance);

    private static ColdStartRequest Request(ImageVariant variant, string image) =>
        new()
        {
            Workload = Busybox,
            Variant = variant,
            ImageReference = image,
            Repetition = 0,
            Warmup = false,
            Sequence = 0,
        };

    private static void AssertPhasesAddUp(ColdStartSample sample)
    {
        double?[] phases =
        [
            sample.PullMs,
            sample.CreateMs,
            sample.StartMs,
            sample.ReadyMs,
            sample.FirstResponseMs,
        ];
        Assert.All(phases, phase => Assert.True(phase > 0, $"phase {phase}"));
        Assert.NotNull(sample.TotalMs);
        var sum = phases.Sum(phase => phase!.Value);
        Assert.InRange(sum, sample.TotalMs.Value * 0.999, sample.TotalMs.Value * 1.001);
    }
}
