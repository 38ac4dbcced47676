namespace Harness.Reporting;

/// <summary>Values of the <c>status</c> field of <c>manifest.json</c>.</summary>
public static class RunStatus
{
    /// <summary>The run is in progress, or its process died without updating the manifest.
    /// </summary>
    public const string Running = "running";

    /// <summary>Every planned sample was taken.</summary>
    public const string Complete = "complete";

    /// <summary>Stopped early by Ctrl-C or a signal; samples.csv holds what was finished.
    /// </summary>
    public const string Interrupted = "interrupted";

    /// <summary>Stopped early by an error.</summary>
    public const string Failed = "failed";
}
