namespace Harness.Reporting;

/// <summary>
/// Column names of <c>summary.csv</c>: one row per workload, variant and phase. Durations are
/// in milliseconds. The speedup, p-value, spread and noise flag describe the total, so they
/// are filled on the <c>total</c> row only; the counts repeat on every row of a variant.
/// </summary>
public static class SummaryCsvColumns
{
    public const string Workload = "workload";
    public const string Variant = "variant";
    public const string Phase = "phase";
    public const string Count = "n";
    public const string FailedCount = "n_failed";
    public const string WarmupCount = "n_warmup";
    public const string Median = "median_ms";
    public const string MedianLower = "median_ci_lower_ms";
    public const string MedianUpper = "median_ci_upper_ms";
    public const string P95 = "p95_ms";
    public const string P95Lower = "p95_ci_lower_ms";
    public const string P95Upper = "p95_ci_upper_ms";
    public const string Mean = "mean_ms";
    public const string StandardDeviation = "stdev_ms";
    public const string Min = "min_ms";
    public const string Max = "max_ms";
    public const string Speedup = "speedup";
    public const string SpeedupLower = "speedup_ci_lower";
    public const string SpeedupUpper = "speedup_ci_upper";
    public const string MannWhitneyP = "mann_whitney_p";
    public const string RelativeSpread = "relative_spread";
    public const string Noisy = "noisy";
    public const string MeanPhaseGap = "phase_gap_mean_ms";

    /// <summary>Every column in file order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Workload,
        Variant,
        Phase,
        Count,
        FailedCount,
        WarmupCount,
        Median,
        MedianLower,
        MedianUpper,
        P95,
        P95Lower,
        P95Upper,
        Mean,
        StandardDeviation,
        Min,
        Max,
        Speedup,
        SpeedupLower,
        SpeedupUpper,
        MannWhitneyP,
        RelativeSpread,
        Noisy,
        MeanPhaseGap,
    ];
}
