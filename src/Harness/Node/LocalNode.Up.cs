using System.Diagnostics;
using Harness.Network;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

public sealed partial class LocalNode
{
    /// <summary>
    /// Installs what is missing, builds the snapshotter daemon, writes the configs and starts
    /// the registry, the snapshotter and containerd. Idempotent: healthy components are kept,
    /// stale ones left by a killed run are cleaned up first. Returns once every component
    /// passes its health check.
    /// </summary>
    public async Task UpAsync(CancellationToken cancellationToken)
    {
        EnsureRoot("node up");
        var stopwatch = Stopwatch.StartNew();

        await RecoverStaleAsync(cancellationToken);

        // A run killed with SIGKILL leaves its link record behind; the link itself died with
        // the run's process, so only the record needs removing.
        if (await RegistryLinkStatus.RemoveStaleAsync(cancellationToken))
        {
            logger.LogInformation("Removed the record of a link left by a killed run");
        }
        var daemon = await InstallAsync(cancellationToken);

        Directory.CreateDirectory(Layout.RunRoot);
        Directory.CreateDirectory(Layout.StateRoot);
        Directory.CreateDirectory(Layout.LogDirectory);
        await File.WriteAllTextAsync(
            Layout.ContainerdConfig,
            NodeConfigFiles.Containerd(Layout),
            cancellationToken
        );
        await File.WriteAllTextAsync(
            Layout.RegistryConfig,
            NodeConfigFiles.Registry(Layout),
            cancellationToken
        );

        try
        {
            await StartRegistryAsync(cancellationToken);
            var runtimeHealthy =
                RunningPid(NodeComponent.Stargz) is not null
                && NodeHealth.IsSocketAnswering(Layout.StargzSocket)
                && RunningPid(NodeComponent.Containerd) is not null
                && await NodeHealth.IsContainerdHealthyAsync(Containerd, cancellationToken);
            if (!runtimeHealthy)
            {
                await RestartRuntimeColdAsync(daemon, dropPageCache: false, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError("Node start-up failed; stopping the components already started");
            await StopComponentsAsync(CancellationToken.None);
            throw;
        }

        logger.LogInformation(
            "Node is up in {Seconds:F1} s: containerd {Socket}, registry {Registry}",
            stopwatch.Elapsed.TotalSeconds,
            Layout.ContainerdSocket,
            Layout.RegistryAddress
        );
    }

    /// <summary>
    /// Installs the missing Debian packages and builds the snapshotter daemon, starting
    /// nothing. Returns the daemon's path.
    /// </summary>
    public async Task<string> InstallAsync(CancellationToken cancellationToken)
    {
        EnsureRoot("node install");
        await DebianPackages.EnsureInstalledAsync(
            DebianPackages.NodePackages,
            logger,
            cancellationToken
        );
        return await SnapshotterDaemonBuilder.EnsureBuiltAsync(Layout, logger, cancellationToken);
    }

    private async Task StartRegistryAsync(CancellationToken cancellationToken)
    {
        if (
            RunningPid(NodeComponent.Registry) is not null
            && await NodeHealth.IsRegistryHealthyAsync(Layout, cancellationToken)
        )
        {
            return;
        }

        await StopComponentAsync(NodeComponent.Registry, cancellationToken);
        if (!PortProbe.IsFree(Layout.RegistryPort))
        {
            var holder = await PortProbe.FindHolderAsync(Layout.RegistryPort, cancellationToken);
            var holderName = holder is { } found
                ? $"{found.Program} (pid {found.Pid})"
                : "another process";
            throw new HarnessException(
                $"Port {Layout.RegistryAddress} is already taken by {holderName}, so the node's "
                    + "registry cannot listen there. Stop that process, or choose another port "
                    + "with HARNESS_REGISTRY_PORT=<port>."
            );
        }

        Directory.CreateDirectory(Layout.RegistryRoot);
        logger.Log(StartLogLevel, "Starting the registry on {Address}", Layout.RegistryAddress);
        await DaemonProcess.StartAsync(
            "docker-registry",
            ["serve", Layout.RegistryConfig],
            Layout.PidFile(NodeComponent.Registry),
            Layout.LogFile(NodeComponent.Registry),
            cancellationToken
        );
        await WaitHealthyAsync(
            NodeComponent.Registry,
            token => NodeHealth.IsRegistryHealthyAsync(Layout, token),
            cancellationToken
        );
    }

    private async Task StartStargzAsync(string daemon, CancellationToken cancellationToken)
    {
        logger.Log(
            StartLogLevel,
            "Starting the stargz snapshotter on {Socket}",
            Layout.StargzSocket
        );
        await DaemonProcess.StartAsync(
            daemon,
            StargzArguments(),
            Layout.PidFile(NodeComponent.Stargz),
            Layout.LogFile(NodeComponent.Stargz),
            cancellationToken
        );
        await WaitHealthyAsync(
            NodeComponent.Stargz,
            _ => Task.FromResult(NodeHealth.IsSocketAnswering(Layout.StargzSocket)),
            cancellationToken
        );
    }

    private async Task StartContainerdAsync(CancellationToken cancellationToken)
    {
        logger.Log(StartLogLevel, "Starting containerd on {Socket}", Layout.ContainerdSocket);
        await DaemonProcess.StartAsync(
            "containerd",
            ["--config", Layout.ContainerdConfig],
            Layout.PidFile(NodeComponent.Containerd),
            Layout.LogFile(NodeComponent.Containerd),
            cancellationToken
        );
        await WaitHealthyAsync(
            NodeComponent.Containerd,
            token => NodeHealth.IsContainerdHealthyAsync(Containerd, token),
            cancellationToken
        );
    }

    /// <summary>
    /// Stops containerd and the snapshotter, removes their state, mounts and leftover
    /// containers, and starts both again on empty folders. They are always started together:
    /// containerd's metadata names the snapshotter's snapshots, and the snapshotter fails to
    /// start when its metadata names FUSE mounts that are gone.
    /// </summary>
    private async Task RestartRuntimeColdAsync(
        string daemon,
        bool dropPageCache,
        CancellationToken cancellationToken
    )
    {
        var restart = Stopwatch.StartNew();

        // Their state is deleted next, so a clean shutdown buys nothing: containerd waits for
        // its shims and the snapshotter for its FUSE mounts, which took seconds per reset.
        await RemoveContainersAsync(cancellationToken);
        await StopComponentAsync(NodeComponent.Containerd, cancellationToken, TimeSpan.Zero);
        await StopComponentAsync(NodeComponent.Stargz, cancellationToken, TimeSpan.Zero);
        await KillLeftoverShimsAsync(cancellationToken);
        MountTable.DetachAllBelow(Layout.ContainerdRoot);
        MountTable.DetachAllBelow(Layout.StargzRoot);
        MountTable.DetachAllBelow(Layout.ContainerdState);
        DeleteFolder(Layout.ContainerdRoot);
        DeleteFolder(Layout.StargzRoot);
        DeleteFolder(Layout.ContainerdState);
        if (Directory.Exists(Layout.RuncRoot))
        {
            Directory.Delete(Layout.RuncRoot, recursive: true);
        }

        logger.LogDebug(
            "Stopped the runtime and deleted its state in {Milliseconds:F0} ms",
            restart.Elapsed.TotalMilliseconds
        );
        if (dropPageCache)
        {
            DropPageCache();
            logger.LogDebug(
                "Dropped the page cache at {Milliseconds:F0} ms",
                restart.Elapsed.TotalMilliseconds
            );
        }

        await StartStargzAsync(daemon, cancellationToken);
        await StartContainerdAsync(cancellationToken);
    }

    private string[] StargzArguments() =>
        ["-address", Layout.StargzSocket, "-root", Layout.StargzRoot, "-log-level", "info"];

    private async Task WaitHealthyAsync(
        string component,
        Func<CancellationToken, Task<bool>> isHealthy,
        CancellationToken cancellationToken
    )
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < HealthTimeout)
        {
            if (await isHealthy(cancellationToken))
            {
                return;
            }

            if (RunningPid(component) is null)
            {
                throw new HarnessException(
                    $"The {component} process exited during start-up. Its log "
                        + $"{Layout.LogFile(component)} ends with:\n{TailOfLog(component)}"
                );
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new HarnessException(
            $"The {component} did not pass its health check within "
                + $"{HealthTimeout.TotalSeconds:F0} s. "
                + $"Its log {Layout.LogFile(component)} ends with:\n"
                + TailOfLog(component)
        );
    }

    private string TailOfLog(string component)
    {
        var path = Layout.LogFile(component);
        if (!File.Exists(path))
        {
            return "(no log)";
        }

        return string.Join('\n', File.ReadLines(path).TakeLast(15));
    }
}
