using System.Diagnostics;
using Harness.Experiments;
using Harness.Images;
using Harness.Measurement;

namespace Harness.Runs;

/// <summary>
/// One progress line per finished sample, with counts and an estimate of the time left from
/// the mean duration of the samples so far.
/// </summary>
internal sealed class RunProgress
{
    private readonly int total;
    private readonly int alreadyDone;
    private readonly Stopwatch stopwatch = Stopwatch.StartNew();
    private int finished;

    public RunProgress(int total, int alreadyDone)
    {
        this.total = total;
        this.alreadyDone = alreadyDone;
    }

    /// <summary>Formats the line for a finished sample.</summary>
    public string Describe(PlannedSample planned, ColdStartSample sample)
    {
        finished++;
        var done = alreadyDone + finished;
        var left = total - done;
        var perSample = stopwatch.Elapsed / finished;
        var eta = left > 0 ? $", about {Format(perSample * left)} left" : "";
        var kind = planned.Warmup ? "warm-up" : $"rep {planned.Repetition + 1}";
        var outcome =
            sample.Status == SampleStatus.Ok
                ? $"total {sample.TotalMs:F0} ms (pull {sample.PullMs:F0}, "
                    + $"create {sample.CreateMs:F0}, "
                    + $"start {sample.StartMs:F0}, ready {sample.ReadyMs:F0}, first response "
                    + $"{sample.FirstResponseMs:F0}), {Megabytes(sample.BytesFetched)} fetched, "
                    + $"lazy={Lower(sample.Lazy)}"
                : $"{sample.Status}: {sample.Error}";
        return $"[{done}/{total}] {planned.Workload} ({planned.Variant.ToName()}) {kind}: "
            + $"{outcome}{eta}";
    }

    private static string Lower(bool? value) =>
        value switch
        {
            true => "true",
            false => "false",
            null => "unknown",
        };

    private static string Megabytes(long? bytes) =>
        bytes is null ? "? MB" : $"{bytes.Value / 1e6:F1} MB";

    private static string Format(TimeSpan time) =>
        time.TotalMinutes >= 1
            ? $"{(int)time.TotalMinutes} min {time.Seconds:D2} s"
            : $"{time.TotalSeconds:F0} s";
}
