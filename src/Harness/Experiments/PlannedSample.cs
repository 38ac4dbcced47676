using Harness.Images;

namespace Harness.Experiments;

/// <summary>One cold start in an experiment's plan.</summary>
public sealed record PlannedSample
{
    /// <summary>Workload folder name.</summary>
    public required string Workload { get; init; }

    public required ImageVariant Variant { get; init; }

    /// <summary>Zero-based index among the warm-ups, or among the measured samples, of this
    /// workload and variant.</summary>
    public required int Repetition { get; init; }

    /// <summary>True for warm-up samples, which run before the measured ones.</summary>
    public required bool Warmup { get; init; }

    /// <summary>Zero-based position in the full plan; unchanged when a run resumes.</summary>
    public required int Sequence { get; init; }

    /// <summary>The sample's identity, used to match it with recorded results.</summary>
    public SampleKey Key => new(Workload, Variant, Repetition, Warmup);
}
