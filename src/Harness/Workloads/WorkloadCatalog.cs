namespace Harness.Workloads;

/// <summary>
/// The workloads of the repository: one folder per workload under a root folder, each with a
/// <c>workload.json</c>.
/// </summary>
public sealed class WorkloadCatalog
{
    /// <summary>Creates a catalog of the workloads below <paramref name="root"/>.</summary>
    public WorkloadCatalog(string root)
    {
        Root = root;
    }

    /// <summary>The catalog of <see cref="HarnessPaths.WorkloadsRoot"/>.</summary>
    public static WorkloadCatalog Default => new(HarnessPaths.WorkloadsRoot);

    /// <summary>Folder that contains one folder per workload.</summary>
    public string Root { get; }

    /// <summary>Names of the folders that contain a <c>workload.json</c>, sorted.</summary>
    public IReadOnlyList<string> Names()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory
            .EnumerateDirectories(Root)
            .Where(folder => File.Exists(Path.Combine(folder, "workload.json")))
            .Select(folder => Path.GetFileName(folder))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads and validates the workload called <paramref name="name"/>.</summary>
    public WorkloadDefinition Get(string name)
    {
        var folder = Path.Combine(Root, name);
        if (
            name.Length == 0
            || name.Contains('/')
            || name.StartsWith('.')
            || !File.Exists(Path.Combine(folder, "workload.json"))
        )
        {
            var known = Names();
            var hint =
                known.Count == 0
                    ? $"no workloads were found in {Root}"
                    : $"known workloads: {string.Join(", ", known)}";
            throw new HarnessException(
                $"Workload \"{name}\" was not found: {Path.Combine(folder, "workload.json")} "
                    + $"does not exist ({hint})."
            );
        }

        return WorkloadFileReader.Read(folder);
    }

    /// <summary>
    /// Reads every workload and checks that no two share a port, because all of them listen on
    /// the host's loopback interface.
    /// </summary>
    public IReadOnlyList<WorkloadDefinition> GetAll()
    {
        var workloads = Names().Select(Get).ToList();
        var clashes = workloads
            .GroupBy(workload => workload.Manifest.Port)
            .Where(group => group.Count() > 1)
            .Select(group =>
                $"port {group.Key} is used by "
                + string.Join(" and ", group.Select(workload => workload.ManifestPath))
            )
            .ToList();
        if (clashes.Count > 0)
        {
            throw new HarnessException(
                "Workloads must listen on distinct ports: "
                    + string.Join("; ", clashes)
                    + ". Give each workload its own 'port'."
            );
        }

        return workloads;
    }
}
