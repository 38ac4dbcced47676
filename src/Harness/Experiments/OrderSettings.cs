namespace Harness.Experiments;

/// <summary>How the samples of the plan are ordered.</summary>
public sealed record OrderSettings
{
    /// <summary>Interleave workloads and variants in a random order; false runs them
    /// grouped.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffle; null draws one, which the manifest records.</summary>
    public int? Seed { get; init; }
}
