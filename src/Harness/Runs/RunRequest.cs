namespace Harness.Runs;

/// <summary>What <c>harness run</c> was asked to do: start a run from an experiment file, or
/// finish an interrupted one.</summary>
public sealed record RunRequest
{
    /// <summary>Experiment file of a new run; null when resuming.</summary>
    public string? ExperimentFile { get; init; }

    /// <summary><c>--set key=value</c> overrides of a new run.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Results folder of an interrupted run to finish; null for a new run.</summary>
    public string? ResumeFolder { get; init; }

    /// <summary>Folder the results folders are created in: <c>results/</c> of the repository
    /// unless set.</summary>
    public string? ResultsRoot { get; init; }
}
