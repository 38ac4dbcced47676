using System.Security.Cryptography;
using System.Text;
using Harness.Processes;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

/// <summary>
/// Builds the stargz snapshotter daemon from <c>src/StargzDaemon/main.go</c> against Debian's
/// packaged library, offline. The binary is cached by the hash of its source, the Go version
/// and the library's package version, so it is rebuilt only when one of them changes.
/// </summary>
internal static class SnapshotterDaemonBuilder
{
    public const string LibraryPackage = "golang-github-containerd-stargz-snapshotter-dev";
    public const string BinaryName = "harness-stargz-daemon";

    /// <summary>Debian's folder of packaged Go sources, used as a second GOPATH entry.</summary>
    private const string DebianGoPath = "/usr/share/gocode";

    /// <summary>Returns the path of an up-to-date daemon binary, building it if needed.</summary>
    public static async Task<string> EnsureBuiltAsync(
        NodeLayout layout,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var source = Path.Combine(HarnessPaths.RepositoryRoot, "src", "StargzDaemon", "main.go");
        if (!File.Exists(source))
        {
            throw new HarnessException(
                $"The snapshotter daemon's source {source} is missing. Restore it with "
                    + "'git checkout -- src/StargzDaemon'."
            );
        }

        // Package versions identify the toolchain and the library; asking dpkg is much faster
        // than running 'go version' on every start.
        var versions = await DebianPackages.GetVersionsAsync(
            ["golang-go", LibraryPackage],
            cancellationToken
        );
        var goVersion = versions.GetValueOrDefault("golang-go")
            ?? throw new HarnessException(
                "The Debian package golang-go is not installed. Run './harness node install', "
                    + "which installs it, or 'apt-get install golang-go'."
            );
        var libraryVersion = versions.GetValueOrDefault(LibraryPackage)
            ?? throw new HarnessException(
                $"The Debian package {LibraryPackage} is not installed. Run "
                    + $"'./harness node install', which installs it, or 'apt-get install "
                    + $"{LibraryPackage}'."
            );

        var key = HashKey(
            await File.ReadAllBytesAsync(source, cancellationToken),
            goVersion,
            libraryVersion
        );
        var outputFolder = Path.Combine(layout.CacheRoot, "stargz-daemon", key);
        var binary = Path.Combine(outputFolder, BinaryName);
        if (File.Exists(binary))
        {
            return binary;
        }

        logger.LogInformation(
            "Building the stargz snapshotter daemon (golang-go {Go}, library {Version})",
            goVersion,
            libraryVersion
        );
        var started = DateTime.UtcNow;
        var workFolder = Directory.CreateTempSubdirectory("harness-stargz-build-");
        try
        {
            var workSource = Path.Combine(workFolder.FullName, "main.go");
            File.Copy(source, workSource);
            Directory.CreateDirectory(outputFolder);
            var partialBinary = binary + ".partial";

            // GOPATH mode: the library and its dependencies come from Debian's gocode folder,
            // so nothing is downloaded.
            var environment = new Dictionary<string, string?>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = $"{Path.Combine(workFolder.FullName, "gopath")}:{DebianGoPath}",
                ["GOCACHE"] = Path.Combine(layout.CacheRoot, "go-build"),
                ["GOFLAGS"] = "",
                ["CGO_ENABLED"] = "1",
            };
            var result = await ProcessRunner.TryRunAsync(
                "go",
                ["build", "-o", partialBinary, "main.go"],
                cancellationToken,
                environment,
                workFolder.FullName
            );
            if (result.ExitCode != 0)
            {
                throw new HarnessException(
                    $"Building the stargz snapshotter daemon failed (go build exited with code "
                        + $"{result.ExitCode}). Compiler output:\n{result.StandardError.Trim()}\n"
                        + $"The source is {source}; the library comes from the Debian package "
                        + $"{LibraryPackage} {libraryVersion}."
                );
            }

            File.Move(partialBinary, binary, overwrite: true);
        }
        finally
        {
            workFolder.Delete(recursive: true);
        }

        logger.LogInformation(
            "Built the snapshotter daemon in {Seconds:F1} s",
            (DateTime.UtcNow - started).TotalSeconds
        );
        return binary;
    }

    private static string HashKey(byte[] source, string goVersion, string libraryVersion)
    {
        var identity = Encoding.UTF8.GetBytes($"\n{goVersion}\n{libraryVersion}");
        var hash = SHA256.HashData([.. source, .. identity]);
        return Convert.ToHexStringLower(hash)[..16];
    }
}
