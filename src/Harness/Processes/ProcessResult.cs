namespace Harness.Processes;

/// <summary>Output of a finished external program.</summary>
public sealed record ProcessResult(
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration
);
