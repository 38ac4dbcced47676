using Harness.Images;
using Harness.Measurement;

namespace Harness.Statistics;

/// <summary>
/// Summarises cold-start samples per workload and variant: per-phase statistics, the speedup
/// of each lazy variant over overlayfs, a noise flag and the gap between the total and the
/// sum of its phases. Warm-up samples and samples whose status is not <c>ok</c> are left out
/// of the statistics and counted separately.
/// </summary>
public sealed class SummaryCalculator(SummaryOptions? options = null)
{
    private readonly SummaryOptions options = options ?? new SummaryOptions();

    /// <summary>Phases in summary order: the parts in the order they happen, then the total.
    /// </summary>
    public static IReadOnlyList<string> Phases { get; } = [.. Phase.Parts, Phase.Total];

    /// <summary>Summarises the given samples.</summary>
    public RunSummary Summarize(IReadOnlyList<ColdStartSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var groups = samples
            .GroupBy(sample => (sample.Workload, sample.Variant))
            .OrderBy(group => group.Key.Workload, StringComparer.Ordinal)
            .ThenBy(group => VariantOrder(group.Key.Variant))
            .ThenBy(group => group.Key.Variant, StringComparer.Ordinal)
            .ToList();
        var measuredTotals = groups.ToDictionary(
            group => group.Key,
            group => Measured(group).Select(sample => sample.TotalMs).OfType<double>().ToList()
        );

        var summaries = new List<VariantSummary>();
        foreach (var group in groups)
        {
            var baselineKey = (group.Key.Workload, ImageVariantNames.Overlayfs);
            var baseline =
                group.Key.Variant == ImageVariantNames.Overlayfs
                    ? null
                    : measuredTotals.GetValueOrDefault(baselineKey);
            summaries.Add(SummarizeGroup(group.Key, group.ToList(), baseline));
        }

        return new RunSummary { Variants = summaries, Options = options };
    }

    /// <summary>Returns the position of a variant in the canonical order; unknown names last.
    /// </summary>
    public static int VariantOrder(string variant)
    {
        var index = ImageVariantNames.All.ToList().IndexOf(variant);
        return index < 0 ? int.MaxValue : index;
    }

    private VariantSummary SummarizeGroup(
        (string Workload, string Variant) key,
        IReadOnlyList<ColdStartSample> samples,
        List<double>? baselineTotals
    )
    {
        var measured = Measured(samples).ToList();
        var phases = Phases
            .Select(phase => SummarizePhase(phase, Values(measured, phase)))
            .ToList();
        var total = phases[^1];

        SpeedupEstimate? speedup = null;
        var totals = Values(measured, Phase.Total);
        if (baselineTotals is { Count: > 0 } && totals.Count > 0)
        {
            speedup = new SpeedupEstimator(options).Estimate(baselineTotals, totals);
        }

        double? spread =
            total.Median is > 0 && total.P95 is { } p95
                ? (p95 - total.Median.Value) / total.Median.Value
                : null;

        return new VariantSummary
        {
            Workload = key.Workload,
            Variant = key.Variant,
            Count = measured.Count,
            FailedCount = samples.Count(sample => !sample.Warmup && !IsOk(sample)),
            WarmupCount = samples.Count(sample => sample.Warmup),
            Phases = phases,
            Speedup = speedup,
            RelativeSpread = spread,
            Noisy = spread > options.NoiseThreshold,
            MeanPhaseGapMs = MeanPhaseGap(measured),
        };
    }

    private PhaseStatistics SummarizePhase(string phase, IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new PhaseStatistics { Phase = phase, Count = 0 };
        }

        var (mean, deviation) = SampleStatistics.Moments(values);
        return new PhaseStatistics
        {
            Phase = phase,
            Count = values.Count,
            Median = SampleStatistics.Median(values),
            MedianInterval = SampleStatistics.QuantileInterval(
                values,
                0.5,
                options.ConfidenceLevel
            ),
            P95 = SampleStatistics.Quantile(values, 0.95),
            P95Interval = SampleStatistics.QuantileInterval(values, 0.95, options.ConfidenceLevel),
            Mean = mean,
            StandardDeviation = deviation,
            Min = values.Min(),
            Max = values.Max(),
        };
    }

    private static double? MeanPhaseGap(IReadOnlyList<ColdStartSample> measured)
    {
        var gaps = new List<double>();
        foreach (var sample in measured)
        {
            var parts = Phase.Parts.Select(phase => PhaseValue(sample, phase)).ToList();
            if (sample.TotalMs is { } total && parts.All(part => part is not null))
            {
                gaps.Add(total - parts.Sum(part => part!.Value));
            }
        }

        return gaps.Count > 0 ? gaps.Average() : null;
    }

    /// <summary>Returns the duration of a phase in milliseconds, or null.</summary>
    public static double? PhaseValue(ColdStartSample sample, string phase) =>
        phase switch
        {
            Phase.Pull => sample.PullMs,
            Phase.Create => sample.CreateMs,
            Phase.Start => sample.StartMs,
            Phase.Ready => sample.ReadyMs,
            Phase.FirstResponse => sample.FirstResponseMs,
            Phase.Total => sample.TotalMs,
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown phase."),
        };

    /// <summary>Returns the measured samples: not warm-ups, status <c>ok</c>.</summary>
    public static IEnumerable<ColdStartSample> Measured(IEnumerable<ColdStartSample> samples) =>
        samples.Where(sample => !sample.Warmup && IsOk(sample));

    private static bool IsOk(ColdStartSample sample) => sample.Status == SampleStatus.Ok;

    private static List<double> Values(IEnumerable<ColdStartSample> samples, string phase) =>
        samples.Select(sample => PhaseValue(sample, phase)).OfType<double>().ToList();
}
