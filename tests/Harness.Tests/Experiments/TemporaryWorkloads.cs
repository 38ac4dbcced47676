namespace Harness.Tests.Experiments;

/// <summary>
/// A temporary workloads root: one folder with a <c>workload.json</c> per workload name, and a
/// <c>no-manifest</c> folder without one. Deleted on dispose.
/// </summary>
public sealed class TemporaryWorkloads : IDisposable
{
    public TemporaryWorkloads(params string[] workloads)
    {
        RepositoryRoot = Directory.CreateTempSubdirectory("harness-experiments-").FullName;
        Root = Path.Combine(RepositoryRoot, "src", "Workloads");
        foreach (var workload in workloads)
        {
            Directory.CreateDirectory(Path.Combine(Root, workload));
            File.WriteAllText(Path.Combine(Root, workload, "workload.json"), "{}");
        }

        Directory.CreateDirectory(Path.Combine(Root, "no-manifest"));
    }

    /// <summary>Folder laid out like a repository, for <c>HARNESS_ROOT</c>.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The workloads folder: <c>src/Workloads</c> below the repository folder.</summary>
    public string Root { get; }

    public void Dispose() => Directory.Delete(RepositoryRoot, recursive: true);
}
