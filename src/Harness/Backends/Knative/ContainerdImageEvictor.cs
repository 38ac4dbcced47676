using Harness.Processes;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Knative;

/// <summary>
/// Evicts an image from this machine's containerd, the one kubelet uses: removes every image
/// name in the CRI namespace <c>k8s.io</c> that points at the same manifest, prunes layer
/// content, clears the stargz snapshotter's caches and drops the page cache. Runs the tools
/// through <c>sudo -n</c> unless the harness is root.
/// </summary>
public sealed class ContainerdImageEvictor : IImageEvictor
{
    /// <summary>containerd namespace in which the CRI plugin keeps Kubernetes images.</summary>
    public const string CriNamespace = "k8s.io";

    private readonly string stargzRoot;
    private readonly ILogger logger;
    private readonly bool useSudo;

    /// <summary>Creates an evictor that clears the caches under <paramref name="stargzRoot"/>.
    /// </summary>
    public ContainerdImageEvictor(string stargzRoot, ILogger logger)
    {
        this.stargzRoot = stargzRoot;
        this.logger = logger;
        useSudo = !Environment.IsPrivilegedProcess;
    }

    /// <inheritdoc/>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (useSudo)
        {
            var sudo = await ProcessRunner.TryRunAsync("sudo", ["-n", "true"], cancellationToken);
            if (sudo.ExitCode != 0)
            {
                throw new HarnessException(
                    "Evicting images needs root on the node, but 'sudo -n true' failed "
                        + $"(exit code {sudo.ExitCode}: {sudo.StandardError.Trim()}). Allow this "
                        + "user passwordless sudo, or set \"evictImages\": false in the "
                        + "experiment's knative section to measure without eviction."
                );
            }
        }

        await RunAsync(["ctr", "--version"], cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> EvictAsync(
        string imageReference,
        CancellationToken cancellationToken
    )
    {
        var listing = await RunAsync(
            ["ctr", "-n", CriNamespace, "images", "ls"],
            cancellationToken
        );
        var names = ContainerdImageListing.FindNamesOfSameImage(
            listing.StandardOutput,
            imageReference
        );
        if (names.Count > 0)
        {
            // --sync waits for containerd's garbage collector, which removes the image's
            // snapshots and unreferenced content before the command returns.
            await RunAsync(
                ["ctr", "-n", CriNamespace, "images", "rm", "--sync", .. names],
                cancellationToken
            );
        }

        await RunAsync(
            ["ctr", "-n", CriNamespace, "content", "prune", "references"],
            cancellationToken
        );

        // The stargz snapshotter keeps fetched chunks on disk. It treats a missing cache file
        // as a miss and fetches the chunk again, so clearing the folders is safe for running
        // pods.
        // NOTE: chunks the snapshotter still keeps in memory survive this. Only a restart
        // clears them, and that would disturb every other pod on the node.
        foreach (var cache in new[] { "httpcache", "fscache" })
        {
            var folder = Path.Combine(stargzRoot, "stargz", cache);
            await RunAsync(
                ["find", folder, "-mindepth", "1", "-delete"],
                cancellationToken,
                ignoreMissing: true
            );
        }

        await RunAsync(["sync"], cancellationToken);
        await RunAsync(["sysctl", "-q", "-w", "vm.drop_caches=3"], cancellationToken);
        logger.LogDebug(
            "Evicted {Image}: removed {Names}",
            imageReference,
            string.Join(", ", names)
        );
        return names;
    }

    private async Task<ProcessResult> RunAsync(
        IReadOnlyList<string> command,
        CancellationToken cancellationToken,
        bool ignoreMissing = false
    )
    {
        var program = useSudo ? "sudo" : command[0];
        IReadOnlyList<string> arguments = useSudo ? ["-n", .. command] : command.Skip(1).ToList();
        if (!ignoreMissing)
        {
            return await ProcessRunner.RunAsync(program, arguments, cancellationToken);
        }

        var result = await ProcessRunner.TryRunAsync(program, arguments, cancellationToken);
        if (result.ExitCode != 0 && !result.StandardError.Contains("No such file"))
        {
            throw new ExternalCommandException(
                program,
                arguments,
                result.ExitCode,
                result.StandardError
            );
        }

        return result;
    }
}
