using System.Text.Json.Nodes;

namespace Harness.Experiments;

/// <summary>A validated experiment together with what a results manifest records about it.
/// </summary>
public sealed record LoadedExperiment
{
    public required Experiment Experiment { get; init; }

    /// <summary>Every setting after defaults and overrides, in the file's camelCase layout, as
    /// written to <c>manifest.json</c>. A seed drawn later by the plan is not in it: render
    /// <see cref="ExperimentPlan.Experiment"/> with <see cref="ExperimentJson.ToJsonObject"/>
    /// for that.</summary>
    public required JsonObject Settings { get; init; }

    /// <summary>Full path of the experiment file.</summary>
    public required string FilePath { get; init; }

    /// <summary>SHA-256 of the file's bytes, as lowercase hexadecimal.</summary>
    public required string FileSha256 { get; init; }

    /// <summary>Overrides that changed a setting, in the order applied: environment variables
    /// as <c>HARNESS_NAME=value</c>, then <c>--set key=value</c> arguments.</summary>
    public required IReadOnlyList<string> Overrides { get; init; }
}
