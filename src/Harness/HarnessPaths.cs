namespace Harness;

/// <summary>
/// Where the harness finds its repository and keeps its state. Each location can be moved
/// with an environment variable, which the tests use to keep their files apart.
/// </summary>
public static class HarnessPaths
{
    /// <summary>The repository root: <c>HARNESS_ROOT</c> if set (the <c>./harness</c> script
    /// sets it), else the nearest folder above the program that contains <c>Harness.sln</c>.
    /// </summary>
    public static string RepositoryRoot =>
        Environment.GetEnvironmentVariable("HARNESS_ROOT")
        ?? FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new HarnessException(
            "Could not find the harness repository (no Harness.sln above "
                + $"{AppContext.BaseDirectory}). Run the harness through ./harness at the "
                + "repository root, or set HARNESS_ROOT to the repository folder."
        );

    /// <summary>Folder of the workloads: <c>src/Workloads</c> in the repository.</summary>
    public static string WorkloadsRoot => Path.Combine(RepositoryRoot, "src", "Workloads");

    /// <summary>Persistent node state (containerd and snapshotter roots, registry storage).
    /// </summary>
    public static string StateRoot =>
        Environment.GetEnvironmentVariable("HARNESS_STATE_DIR") ?? "/var/lib/harness";

    /// <summary>Sockets, pid files and logs of the running node.</summary>
    public static string RunRoot =>
        Environment.GetEnvironmentVariable("HARNESS_RUN_DIR") ?? "/run/harness";

    /// <summary>Content-addressed caches: base root filesystems, built layers, the daemon.
    /// </summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("HARNESS_CACHE_DIR") ?? "/var/cache/harness";

    private static string? FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Harness.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
