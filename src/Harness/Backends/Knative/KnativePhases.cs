using Harness.Measurement;

namespace Harness.Backends.Knative;

/// <summary>
/// Maps what was observed on the cluster to the harness's phases. Every phase ends where the
/// next begins, on the harness's clock, except <c>pull</c>, which is kubelet's own measure.
/// The time from the trigger to kubelet's Pulling event (activator, autoscaler, scheduling,
/// pod sandbox) belongs to no phase, so the phases add up to less than <c>total</c>.
/// </summary>
internal static class KnativePhases
{
    /// <summary>Returns <paramref name="sample"/> with the phase durations that
    /// <paramref name="timeline"/> supports; phases with a missing end stay null.</summary>
    public static ColdStartSample Apply(ColdStartSample sample, PodStartTimeline timeline)
    {
        var pulling = timeline.Find(PodStartChange.Pulling)?.ElapsedMs;
        var pulled = timeline.Find(PodStartChange.Pulled)?.ElapsedMs;
        var created = timeline.Find(PodStartChange.Created)?.ElapsedMs;
        var started = timeline.Find(PodStartChange.Started)?.ElapsedMs;
        var ready = timeline.Find(PodStartChange.Ready)?.ElapsedMs;
        var firstByte = timeline.Find(PodStartChange.FirstByte)?.ElapsedMs;

        // kubelet times the pull itself, without the delay of its event reaching us; the
        // duration excludes any wait in kubelet's serialized pull queue.
        double? pull = timeline.PullReport switch
        {
            { AlreadyPresent: true } => 0,
            { PullDuration: { } duration } => duration.TotalMilliseconds,
            _ => Between(pulling, pulled),
        };

        // The activator may forward the request before the watch delivers the Ready
        // condition; the ready phase then ends at the first byte.
        var readyEnd =
            ready is { } readyAt && firstByte is { } byteAt ? Math.Min(readyAt, byteAt) : ready;

        return sample with
        {
            PullMs = Round(pull),
            CreateMs = Between(pulled, created),
            StartMs = Between(created, started),
            ReadyMs = Between(started, readyEnd),
            FirstResponseMs = Between(readyEnd, firstByte),
            TotalMs = Round(firstByte),
        };
    }

    // A negative gap comes from changes on the two watches (pods, events), which are not
    // ordered against each other. It counts as zero.
    private static double? Between(double? from, double? to) =>
        from is { } start && to is { } end ? Round(Math.Max(0, end - start)) : null;

    private static double? Round(double? value) =>
        value is { } number ? Math.Round(number, 3) : null;
}
