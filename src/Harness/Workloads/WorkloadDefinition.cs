namespace Harness.Workloads;

/// <summary>
/// A workload as found in its folder: what to run (<see cref="Manifest"/>) and how to build its
/// image (<see cref="Build"/>).
/// </summary>
/// <param name="Manifest">Run settings from <c>workload.json</c>.</param>
/// <param name="Build">The <c>build</c> section of <c>workload.json</c>.</param>
/// <param name="Folder">Absolute path of the workload folder.</param>
/// <param name="ManifestPath">Absolute path of <c>workload.json</c>, for messages.</param>
public sealed record WorkloadDefinition(
    WorkloadManifest Manifest,
    WorkloadBuild Build,
    string Folder,
    string ManifestPath
);
