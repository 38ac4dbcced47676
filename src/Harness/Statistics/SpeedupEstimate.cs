namespace Harness.Statistics;

/// <summary>
/// How much faster a variant's total cold start is than the baseline's: the baseline median
/// divided by the variant median, so 2.0 means twice as fast and 0.5 twice as slow.
/// </summary>
public sealed record SpeedupEstimate
{
    public required double Ratio { get; init; }

    /// <summary>Percentile bootstrap interval of <see cref="Ratio"/>; null below two samples
    /// on either side.</summary>
    public ConfidenceBounds? Interval { get; init; }

    /// <summary>Two-sided Mann-Whitney U p-value of variant against baseline totals.</summary>
    public required double MannWhitneyPValue { get; init; }
}
