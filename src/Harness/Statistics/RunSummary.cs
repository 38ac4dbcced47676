namespace Harness.Statistics;

/// <summary>Summary of a whole run: one entry per workload and variant.</summary>
public sealed record RunSummary
{
    /// <summary>Entries ordered by workload name, then variant in canonical order.</summary>
    public required IReadOnlyList<VariantSummary> Variants { get; init; }

    public required SummaryOptions Options { get; init; }
}
