using Harness.Processes;
using Harness.Workloads;

namespace Harness.Images;

/// <summary>
/// Builds Debian root filesystems with debootstrap and apt-get and keeps them under the cache
/// folder, keyed by a hash of everything that shapes them, so that a rebuild reuses them.
/// </summary>
public sealed class RootFilesystemCache
{
    // Bump when the cleaning rules or the build steps change, so that old trees are not reused.
    private const string FormatVersion = "harness-rootfs-v1";

    private const string StandardPath =
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly TreeCacheFolder _trees;
    private readonly IProgress<string>? _progress;

    /// <summary>Creates a cache that keeps its trees in <c>rootfs</c> below
    /// <paramref name="cacheRoot"/>.</summary>
    public RootFilesystemCache(string cacheRoot, IProgress<string>? progress)
    {
        _trees = new TreeCacheFolder(Path.Combine(cacheRoot, "rootfs"), progress);
        _progress = progress;
    }

    /// <summary>Key of the cleaned base tree of <paramref name="baseSystem"/>.</summary>
    public static string BaseKey(WorkloadBaseSystem baseSystem) =>
        "base-" + ContentKey.Of(BootstrapKey(baseSystem), RootFilesystemCleaner.Version);

    /// <summary>Key of the cleaned tree with <paramref name="packages"/> installed on the base.
    /// </summary>
    public static string RuntimeKey(
        WorkloadBaseSystem baseSystem,
        IReadOnlyList<string> packages
    ) =>
        "runtime-"
        + ContentKey.Of(
            BootstrapKey(baseSystem),
            RootFilesystemCleaner.Version,
            string.Join(' ', packages.Distinct().Order(StringComparer.Ordinal))
        );

    /// <summary>Returns the cleaned base tree (the base layer's content), building it if it is
    /// not cached.</summary>
    public async Task<string> GetBaseRootAsync(
        WorkloadBaseSystem baseSystem,
        CancellationToken cancellationToken
    )
    {
        return await _trees.GetOrBuildAsync(
            BaseKey(baseSystem),
            async (target, token) =>
            {
                var bootstrap = await GetBootstrapRootAsync(baseSystem, token);
                _progress?.Report($"Copying the {baseSystem.Suite} root to make the base layer");
                await TreeFiles.CopyAsync(bootstrap, target, token);
                RootFilesystemCleaner.Clean(target);
            },
            cancellationToken
        );
    }

    /// <summary>Returns the cleaned tree of the base with <paramref name="packages"/>
    /// installed, building it if it is not cached.</summary>
    public async Task<string> GetRuntimeRootAsync(
        WorkloadBaseSystem baseSystem,
        IReadOnlyList<string> packages,
        CancellationToken cancellationToken
    )
    {
        return await _trees.GetOrBuildAsync(
            RuntimeKey(baseSystem, packages),
            async (target, token) =>
            {
                var bootstrap = await GetBootstrapRootAsync(baseSystem, token);
                _progress?.Report(
                    $"Copying the {baseSystem.Suite} root to install " + string.Join(", ", packages)
                );
                await TreeFiles.CopyAsync(bootstrap, target, token);
                if (packages.Count > 0)
                {
                    await InstallPackagesAsync(target, packages, token);
                }

                RootFilesystemCleaner.Clean(target);
            },
            cancellationToken
        );
    }

    private static string BootstrapKey(WorkloadBaseSystem baseSystem) =>
        ContentKey.Of(FormatVersion, baseSystem.Suite, baseSystem.Mirror, baseSystem.Variant);

    /// <summary>Returns the tree exactly as debootstrap left it, with its package lists, which
    /// apt-get needs for the runtime packages.</summary>
    private Task<string> GetBootstrapRootAsync(
        WorkloadBaseSystem baseSystem,
        CancellationToken cancellationToken
    )
    {
        var key = "debootstrap-" + BootstrapKey(baseSystem);
        return _trees.GetOrBuildAsync(
            key,
            async (target, token) =>
            {
                EnsureBuildTools();
                _progress?.Report(
                    $"Running debootstrap --variant={baseSystem.Variant} {baseSystem.Suite} from "
                        + $"{baseSystem.Mirror} (about a minute on a fast link)"
                );
                var started = DateTime.UtcNow;
                await ProcessRunner.RunAsync(
                    "debootstrap",
                    [
                        $"--variant={baseSystem.Variant}",
                        baseSystem.Suite,
                        target,
                        baseSystem.Mirror,
                    ],
                    token,
                    new Dictionary<string, string?> { ["PATH"] = StandardPath, ["LC_ALL"] = "C" }
                );
                _progress?.Report(
                    $"debootstrap finished in {(DateTime.UtcNow - started).TotalSeconds:F0} s"
                );
            },
            cancellationToken
        );
    }

    private async Task InstallPackagesAsync(
        string root,
        IReadOnlyList<string> packages,
        CancellationToken cancellationToken
    )
    {
        _progress?.Report($"Installing {string.Join(", ", packages)} with apt-get in a chroot");
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = StandardPath,
            ["LC_ALL"] = "C",
            ["DEBIAN_FRONTEND"] = "noninteractive",
        };

        // apt-get in the chroot needs name resolution. The cleaner removes this copy again.
        var resolverConfiguration = Path.Combine(root, "etc", "resolv.conf");
        TreeFiles.Delete(resolverConfiguration);
        File.Copy("/etc/resolv.conf", resolverConfiguration);

        // Debian's policy-rc.d convention: exit code 101 stops maintainer scripts from
        // starting services inside the chroot.
        var policy = Path.Combine(root, "usr", "sbin", "policy-rc.d");
        await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 101\n", cancellationToken);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
        }

        try
        {
            await ProcessRunner.RunAsync(
                "chroot",
                [root, "apt-get", "-q", "-o", "Acquire::Retries=3", "update"],
                cancellationToken,
                environment
            );
            await ProcessRunner.RunAsync(
                "chroot",
                [
                    root,
                    "apt-get",
                    "-q",
                    "-y",
                    "-o",
                    "Acquire::Retries=3",
                    "--no-install-recommends",
                    "install",
                    "--",
                    .. packages,
                ],
                cancellationToken,
                environment
            );
        }
        finally
        {
            File.Delete(policy);
        }
    }

    private static void EnsureBuildTools()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new HarnessException(
                "Building a Debian root filesystem needs root (debootstrap, chroot and device "
                    + "files). Run the harness as root or with sudo."
            );
        }

        if (!File.Exists("/usr/sbin/debootstrap"))
        {
            throw new HarnessException(
                "debootstrap was not found at /usr/sbin/debootstrap. Install it with "
                    + "'apt-get install debootstrap' and run the command again."
            );
        }
    }
}
