using System.Security.Cryptography;
using Harness.Processes;
using Harness.Workloads;

namespace Harness.Images;

/// <summary>
/// Builds the application layer's tree of a workload (its files under the destination folder,
/// plus <c>node_modules</c> from <c>npm ci</c> when asked) and caches it by the content of the
/// workload's files.
/// </summary>
public sealed class ApplicationTreeCache
{
    // Bump when the layout of the tree or the npm command changes.
    private const string FormatVersion = "harness-app-v1";

    private const UnixFileMode FolderMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode PlainFileMode = (UnixFileMode)0b110_100_100;

    private readonly TreeCacheFolder _trees;
    private readonly IProgress<string>? _progress;

    /// <summary>Creates a cache that keeps its trees in <c>applications</c> below
    /// <paramref name="cacheRoot"/>.</summary>
    public ApplicationTreeCache(string cacheRoot, IProgress<string>? progress)
    {
        _trees = new TreeCacheFolder(Path.Combine(cacheRoot, "applications"), progress);
        _progress = progress;
    }

    /// <summary>Computes the cache key from the workload's application files and settings.
    /// </summary>
    public static string KeyOf(WorkloadDefinition workload)
    {
        var application = workload.Build.Application;
        var parts = new List<string>
        {
            FormatVersion,
            application.Destination,
            application.NpmInstall ? "npm-ci" : "no-npm",
        };
        foreach (var file in ListSourceFiles(workload))
        {
            var source = Path.Combine(workload.Folder, file);
            using var stream = File.OpenRead(source);
            var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            parts.Add($"{file} {(IsExecutable(source) ? "x" : "-")} {hash}");
        }

        return "app-" + ContentKey.Of([.. parts]);
    }

    /// <summary>Returns a root-shaped tree that contains only the application's files, building
    /// it if it is not cached.</summary>
    public async Task<string> GetTreeAsync(
        WorkloadDefinition workload,
        CancellationToken cancellationToken
    )
    {
        var key = $"{workload.Manifest.Name}-{KeyOf(workload)}";
        return await _trees.GetOrBuildAsync(
            key,
            (root, token) => BuildAsync(workload, root, token),
            cancellationToken
        );
    }

    private async Task BuildAsync(
        WorkloadDefinition workload,
        string root,
        CancellationToken cancellationToken
    )
    {
        var application = workload.Build.Application;
        var destination = Path.Combine(root, application.Destination.TrimStart('/'));
        Directory.CreateDirectory(destination);
        foreach (var file in ListSourceFiles(workload))
        {
            var target = Path.Combine(destination, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(workload.Folder, file), target);
        }

        if (application.NpmInstall)
        {
            await RunNpmInstallAsync(workload.Manifest.Name, destination, cancellationToken);
        }

        // Owners and modes as an image builder running as root would leave them, whatever the
        // checkout's umask was.
        NormalizeModes(root);
    }

    private async Task RunNpmInstallAsync(
        string workloadName,
        string folder,
        CancellationToken cancellationToken
    )
    {
        ProcessResult? version = null;
        try
        {
            version = await ProcessRunner.TryRunAsync("npm", ["--version"], cancellationToken);
        }
        catch (HarnessException)
        {
            // Reported below together with a non-zero exit.
        }

        if (version is null || version.ExitCode != 0)
        {
            throw new HarnessException(
                $"Workload {workloadName} needs npm to install its dependencies, but npm could "
                    + "not be run. Install it with 'apt-get install npm' and run the command again."
            );
        }

        _progress?.Report(
            $"Running npm ci --omit=dev for {workloadName} (npm {version.StandardOutput.Trim()})"
        );
        var started = DateTime.UtcNow;

        // Install scripts are skipped because they run code from the registry on the build
        // machine, and the image should contain the published files only.
        await ProcessRunner.RunAsync(
            "npm",
            [
                "ci",
                "--omit=dev",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
            ],
            cancellationToken,
            new Dictionary<string, string?> { ["NODE_ENV"] = "production" },
            folder
        );
        var files = Directory
            .EnumerateFiles(Path.Combine(folder, "node_modules"), "*", SearchOption.AllDirectories)
            .Count();
        _progress?.Report(
            $"npm ci installed {files} files in {(DateTime.UtcNow - started).TotalSeconds:F0} s"
        );
    }

    private static IReadOnlyList<string> ListSourceFiles(WorkloadDefinition workload)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in workload.Build.Application.Files)
        {
            var path = Path.Combine(workload.Folder, item);
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories);
                foreach (var file in found)
                {
                    files.Add(Path.GetRelativePath(workload.Folder, file).Replace('\\', '/'));
                }
            }
            else if (File.Exists(path))
            {
                files.Add(item);
            }
            else
            {
                throw new HarnessException(
                    $"{workload.ManifestPath} lists \"{item}\" in 'build.application.files', "
                        + $"but {path} was not found."
                );
            }
        }

        return files.ToList();
    }

    private static void NormalizeModes(string root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var entry in FileTreeScanner.Scan(root, CancellationToken.None))
        {
            switch (entry.Type)
            {
                case FileTreeEntryType.Directory:
                    File.SetUnixFileMode(entry.SourcePath, FolderMode);
                    break;
                case FileTreeEntryType.RegularFile:
                    File.SetUnixFileMode(
                        entry.SourcePath,
                        (entry.Mode & 0b001_001_001) != 0 ? ExecutableMode : PlainFileMode
                    );
                    break;
            }
        }

        File.SetUnixFileMode(root, FolderMode);
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsLinux()
        && (
            File.GetUnixFileMode(path)
            & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)
        ) != 0;
}
