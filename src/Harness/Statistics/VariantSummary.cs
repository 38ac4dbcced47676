namespace Harness.Statistics;

/// <summary>Summary of the measured samples of one workload and image variant.</summary>
public sealed record VariantSummary
{
    public required string Workload { get; init; }
    public required string Variant { get; init; }

    /// <summary>Measured samples that ended with status <c>ok</c>.</summary>
    public required int Count { get; init; }

    /// <summary>Measured (not warm-up) samples that did not end with status <c>ok</c>.</summary>
    public required int FailedCount { get; init; }

    /// <summary>Warm-up samples, which the statistics leave out.</summary>
    public required int WarmupCount { get; init; }

    /// <summary>Statistics per phase, in <see cref="Measurement.Phase.Parts"/> order followed
    /// by the total.</summary>
    public required IReadOnlyList<PhaseStatistics> Phases { get; init; }

    /// <summary>Speedup of the total against the overlayfs variant of the same workload; null
    /// for overlayfs itself and when either side has no measured samples.</summary>
    public SpeedupEstimate? Speedup { get; init; }

    /// <summary>(p95 - median) / median of the total; null without samples.</summary>
    public double? RelativeSpread { get; init; }

    /// <summary>True when <see cref="RelativeSpread"/> exceeds the noise threshold.</summary>
    public required bool Noisy { get; init; }

    /// <summary>Mean of total minus the sum of the other phases over the samples that have
    /// them all, in milliseconds; null when no sample has every phase.</summary>
    public double? MeanPhaseGapMs { get; init; }

    /// <summary>Returns the statistics of the named phase.</summary>
    public PhaseStatistics Phase(string name) =>
        Phases.FirstOrDefault(phase => phase.Phase == name)
        ?? throw new ArgumentException($"No statistics for phase '{name}'.", nameof(name));
}
