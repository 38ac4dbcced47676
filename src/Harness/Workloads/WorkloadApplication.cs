namespace Harness.Workloads;

/// <summary>
/// Files of the workload's own code that form an image's application layer, copied from the
/// workload folder into <see cref="Destination"/> inside the image.
/// </summary>
public sealed record WorkloadApplication
{
    /// <summary>Absolute folder inside the image that receives the files.</summary>
    public string Destination { get; init; } = "/app";

    /// <summary>Files and folders relative to the workload folder, copied as they are.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>
    /// Whether to run <c>npm ci --omit=dev</c> in the copied files at build time, which needs
    /// a <c>package.json</c> and a <c>package-lock.json</c> among <see cref="Files"/>.
    /// </summary>
    public bool NpmInstall { get; init; }
}
