namespace Harness.Statistics;

/// <summary>The change of one phase of one workload and variant between two runs.</summary>
public sealed record PhaseComparison
{
    public required string Workload { get; init; }
    public required string Variant { get; init; }
    public required string Phase { get; init; }
    public required int BaseCount { get; init; }
    public required int NewCount { get; init; }

    /// <summary>Median of the base run in milliseconds; null without samples.</summary>
    public double? BaseMedian { get; init; }

    /// <summary>Median of the new run in milliseconds; null without samples.</summary>
    public double? NewMedian { get; init; }

    /// <summary>(new median - base median) / base median, as a fraction; positive is slower.
    /// Null when either median is missing or the base median is zero.</summary>
    public double? Change { get; init; }

    /// <summary>Two-sided Mann-Whitney U p-value of new against base.</summary>
    public double? PValue { get; init; }

    public required ChangeVerdict Verdict { get; init; }
}
