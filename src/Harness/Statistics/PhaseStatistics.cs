namespace Harness.Statistics;

/// <summary>
/// Descriptive statistics of one phase of one workload and variant, in milliseconds. Every
/// value is null when no sample reached the phase; intervals are null below two samples.
/// </summary>
public sealed record PhaseStatistics
{
    public required string Phase { get; init; }

    /// <summary>Number of measured samples with a value for this phase.</summary>
    public required int Count { get; init; }

    /// <summary>Sample median (Hyndman-Fan type 7, the default of R and NumPy).</summary>
    public double? Median { get; init; }

    /// <summary>Confidence interval of the median (Harrell-Davis with Maritz-Jarrett error).
    /// </summary>
    public ConfidenceBounds? MedianInterval { get; init; }

    /// <summary>95th percentile (Hyndman-Fan type 7).</summary>
    public double? P95 { get; init; }

    /// <summary>Confidence interval of the 95th percentile (Harrell-Davis, Maritz-Jarrett).
    /// </summary>
    public ConfidenceBounds? P95Interval { get; init; }

    public double? Mean { get; init; }

    /// <summary>Sample standard deviation (n - 1 denominator); null below two samples.</summary>
    public double? StandardDeviation { get; init; }

    public double? Min { get; init; }
    public double? Max { get; init; }
}
