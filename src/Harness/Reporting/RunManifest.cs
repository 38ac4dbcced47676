using System.Text.Json.Nodes;

namespace Harness.Reporting;

/// <summary>
/// Contents of <c>manifest.json</c>: everything needed to tell how a run's numbers were
/// produced and to repeat the run.
/// </summary>
public sealed record RunManifest
{
    /// <summary>Informational version of the harness assembly.</summary>
    public required string HarnessVersion { get; init; }

    /// <summary>Commit of the repository the harness ran from; null outside a git checkout.
    /// </summary>
    public string? GitCommit { get; init; }

    /// <summary>True when the checkout had uncommitted changes; null outside a checkout.
    /// </summary>
    public bool? GitDirty { get; init; }

    /// <summary>Path of the experiment file as given on the command line.</summary>
    public required string ExperimentFile { get; init; }

    /// <summary>SHA-256 of the experiment file's bytes, lower-case hexadecimal.</summary>
    public required string ExperimentSha256 { get; init; }

    /// <summary>The experiment after defaults and overrides were applied.</summary>
    public required JsonNode Experiment { get; init; }

    /// <summary>Seed of the shuffled sample order.</summary>
    public required long Seed { get; init; }

    public required HostDescription Host { get; init; }

    /// <summary>Versions of the components, such as containerd and the snapshotter, by name.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Components { get; init; }

    public LinkReport? Link { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended; null while it is running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>One of the <see cref="RunStatus"/> values.</summary>
    public required string Status { get; init; }
}
