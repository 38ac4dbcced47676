using Harness.Measurement;

namespace Harness.Statistics;

/// <summary>
/// Compares two runs phase by phase. A change counts only when the median moved by more than
/// the threshold AND the Mann-Whitney U test finds the difference significant, so noise alone
/// does not fail a nightly job.
/// </summary>
public sealed class RunComparer(double threshold, double significanceLevel = 0.05)
{
    /// <summary>Relative change of the median beyond which a phase counts as changed, such as
    /// 0.1 for 10 %.</summary>
    public double Threshold { get; } =
        threshold >= 0
            ? threshold
            : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Negative.");

    /// <summary>p-value below which a difference counts as significant.</summary>
    public double SignificanceLevel { get; } = significanceLevel;

    /// <summary>Returns one comparison per workload, variant and phase found in either run.
    /// </summary>
    public IReadOnlyList<PhaseComparison> Compare(
        IReadOnlyList<ColdStartSample> baseSamples,
        IReadOnlyList<ColdStartSample> newSamples
    )
    {
        var baseMeasured = SummaryCalculator.Measured(baseSamples).ToList();
        var newMeasured = SummaryCalculator.Measured(newSamples).ToList();
        var keys = baseMeasured
            .Concat(newMeasured)
            .Select(sample => (sample.Workload, sample.Variant))
            .Distinct()
            .OrderBy(key => key.Workload, StringComparer.Ordinal)
            .ThenBy(key => SummaryCalculator.VariantOrder(key.Variant))
            .ThenBy(key => key.Variant, StringComparer.Ordinal);

        var comparisons = new List<PhaseComparison>();
        foreach (var (workload, variant) in keys)
        {
            foreach (var phase in SummaryCalculator.Phases)
            {
                comparisons.Add(
                    ComparePhase(
                        workload,
                        variant,
                        phase,
                        Values(baseMeasured, workload, variant, phase),
                        Values(newMeasured, workload, variant, phase)
                    )
                );
            }
        }

        return comparisons;
    }

    private PhaseComparison ComparePhase(
        string workload,
        string variant,
        string phase,
        IReadOnlyList<double> baseValues,
        IReadOnlyList<double> newValues
    )
    {
        var comparison = new PhaseComparison
        {
            Workload = workload,
            Variant = variant,
            Phase = phase,
            BaseCount = baseValues.Count,
            NewCount = newValues.Count,
            Verdict = ChangeVerdict.Missing,
        };
        if (baseValues.Count == 0 || newValues.Count == 0)
        {
            return comparison;
        }

        var baseMedian = SampleStatistics.Median(baseValues);
        var newMedian = SampleStatistics.Median(newValues);
        double? change = baseMedian > 0 ? (newMedian - baseMedian) / baseMedian : null;
        var pValue = SampleStatistics.MannWhitneyPValue(newValues, baseValues);
        var significant = pValue < SignificanceLevel;
        var verdict = change switch
        {
            { } value when significant && value > Threshold => ChangeVerdict.Slower,
            { } value when significant && value < -Threshold => ChangeVerdict.Faster,
            _ => ChangeVerdict.Unchanged,
        };

        return comparison with
        {
            BaseMedian = baseMedian,
            NewMedian = newMedian,
            Change = change,
            PValue = pValue,
            Verdict = verdict,
        };
    }

    private static List<double> Values(
        IEnumerable<ColdStartSample> samples,
        string workload,
        string variant,
        string phase
    ) =>
        samples
            .Where(sample => sample.Workload == workload && sample.Variant == variant)
            .Select(sample => SummaryCalculator.PhaseValue(sample, phase))
            .OfType<double>()
            .ToList();
}
