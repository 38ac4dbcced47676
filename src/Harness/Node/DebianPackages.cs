using Harness.Processes;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

/// <summary>Checks for and installs the Debian packages the node is made of.</summary>
internal static class DebianPackages
{
    /// <summary>Packages the local node needs, all from Debian's own archive.</summary>
    public static IReadOnlyList<string> NodePackages { get; } =
    [
        "containerd",
        "runc",
        "docker-registry",
        "stargz-snapshotter",
        "golang-go",
        "golang-github-containerd-stargz-snapshotter-dev",
        "fuse3",
        "iproute2",
    ];

    /// <summary>Returns the packages of the list that are not installed.</summary>
    public static async Task<IReadOnlyList<string>> FindMissingAsync(
        IEnumerable<string> packages,
        CancellationToken cancellationToken
    )
    {
        var requested = packages.ToList();
        var versions = await GetVersionsAsync(requested, cancellationToken);
        return requested.Where(package => !versions.ContainsKey(package)).ToList();
    }

    /// <summary>Returns the installed version of a package, or null when it is not installed.
    /// </summary>
    public static async Task<string?> GetVersionAsync(
        string package,
        CancellationToken cancellationToken
    )
    {
        var versions = await GetVersionsAsync([package], cancellationToken);
        return versions.GetValueOrDefault(package);
    }

    /// <summary>Returns the installed versions of those packages that are installed, asking
    /// dpkg once for all of them.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(
        IReadOnlyList<string> packages,
        CancellationToken cancellationToken
    )
    {
        // dpkg-query exits non-zero when any name is unknown but still prints the others.
        var result = await ProcessRunner.TryRunAsync(
            "dpkg-query",
            ["-W", "-f=${Package} ${db:Status-Status} ${Version}\n", .. packages],
            cancellationToken
        );
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (
            var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        )
        {
            var fields = line.Split(' ', 3);
            if (fields.Length == 3 && fields[1] == "installed")
            {
                versions[fields[0]] = fields[2];
            }
        }

        return versions;
    }

    /// <summary>
    /// Installs the missing packages with apt-get, refreshing the package lists once if the
    /// first attempt fails. Throws naming the packages that could not be installed.
    /// </summary>
    public static async Task EnsureInstalledAsync(
        IReadOnlyList<string> packages,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var missing = await FindMissingAsync(packages, cancellationToken);
        if (missing.Count == 0)
        {
            return;
        }

        logger.LogInformation("Installing Debian packages: {Packages}", string.Join(", ", missing));
        var environment = new Dictionary<string, string?>
        {
            ["DEBIAN_FRONTEND"] = "noninteractive",
        };
        string[] install = ["install", "-y", "--no-install-recommends", .. missing];
        var result = await ProcessRunner.TryRunAsync(
            "apt-get",
            install,
            cancellationToken,
            environment
        );
        if (result.ExitCode != 0)
        {
            logger.LogInformation(
                "apt-get install failed; refreshing the package lists and retrying"
            );
            await ProcessRunner.TryRunAsync("apt-get", ["update"], cancellationToken, environment);
            result = await ProcessRunner.TryRunAsync(
                "apt-get",
                install,
                cancellationToken,
                environment
            );
        }

        var stillMissing = await FindMissingAsync(missing, cancellationToken);
        if (stillMissing.Count > 0)
        {
            throw new HarnessException(
                $"Could not install the Debian package(s) {string.Join(", ", stillMissing)}. "
                    + $"apt-get exited with code {result.ExitCode}:\n"
                    + $"{result.StandardError.Trim()}\n"
                    + "Check the machine's apt sources, then run 'apt-get install "
                    + $"{string.Join(' ', stillMissing)}' by hand to see the full error."
            );
        }
    }
}
