using Harness.Measurement;

namespace Harness.Runs;

/// <summary>Where a run wrote its results, whether it finished, and every sample row.</summary>
public sealed record RunOutcome(
    string ResultsFolder,
    bool Complete,
    IReadOnlyList<ColdStartSample> Samples
);
