using Harness.Native;
using Harness.Network;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

public sealed partial class LocalNode
{
    /// <summary>
    /// Stops everything the harness started and leaves no process, mount or socket behind.
    /// Image data in the registry and the build caches are kept for the next run.
    /// </summary>
    public async Task DownAsync(CancellationToken cancellationToken)
    {
        EnsureRoot("node down");
        await RemoveContainersAsync(cancellationToken);
        await StopComponentsAsync(cancellationToken);

        // A run killed with SIGKILL leaves its link record behind; the link itself died with
        // the run's process, so only the record needs removing.
        if (await RegistryLinkStatus.RemoveStaleAsync(cancellationToken))
        {
            logger.LogInformation("Removed the record of a link left by a killed run");
        }
        await KillLeftoverShimsAsync(cancellationToken);
        var detached =
            MountTable.DetachAllBelow(Layout.StateRoot) + MountTable.DetachAllBelow(Layout.RunRoot);
        if (detached > 0)
        {
            logger.LogInformation(
                "Unmounted {Count} file system(s) the node left behind",
                detached
            );
        }

        foreach (
            var socket in new[]
            {
                Layout.ContainerdSocket,
                Layout.StargzSocket,
                Layout.ContainerdSocket + ".ttrpc",
            }
        )
        {
            File.Delete(socket);
        }

        if (Directory.Exists(Layout.RuncRoot))
        {
            Directory.Delete(Layout.RuncRoot, recursive: true);
        }

        logger.LogInformation("Node is down");
    }

    /// <summary>Stops the components in reverse start order.</summary>
    private async Task StopComponentsAsync(CancellationToken cancellationToken)
    {
        foreach (var component in NodeComponent.StartOrder.Reverse())
        {
            await StopComponentAsync(component, cancellationToken);
        }
    }

    private async Task StopComponentAsync(
        string component,
        CancellationToken cancellationToken,
        TimeSpan? grace = null
    )
    {
        var pidFile = Layout.PidFile(component);
        var pid = DaemonProcess.ReadPid(pidFile);
        if (pid is not null && DaemonProcess.IsAlive(pid.Value))
        {
            logger.LogDebug("Stopping {Component} (pid {Pid})", component, pid);
            await DaemonProcess.StopAsync(pid.Value, grace ?? StopGrace, cancellationToken);
        }

        File.Delete(pidFile);
    }

    /// <summary>
    /// Cleans up after a run that was killed: pid files of dead processes, daemons of ours
    /// whose pid file is gone, shims and containers of our namespace without a containerd,
    /// and mounts whose snapshotter has exited.
    /// </summary>
    private async Task RecoverStaleAsync(CancellationToken cancellationToken)
    {
        foreach (var component in NodeComponent.StartOrder)
        {
            var pid = DaemonProcess.ReadPid(Layout.PidFile(component));
            if (pid is not null && !DaemonProcess.IsAlive(pid.Value))
            {
                logger.LogInformation(
                    "Removing the stale pid file of {Component} (pid {Pid} is gone)",
                    component,
                    pid
                );
                File.Delete(Layout.PidFile(component));
            }
        }

        // Daemons whose pid file was lost still carry our config paths on their command line.
        var orphans = new[]
        {
            (NodeComponent.Registry, DaemonProcess.FindByCommandLine(Layout.RegistryConfig)),
            (
                NodeComponent.Stargz,
                DaemonProcess.FindByCommandLine("-address", Layout.StargzSocket)
            ),
            (
                NodeComponent.Containerd,
                DaemonProcess.FindByCommandLine("containerd", "--config", Layout.ContainerdConfig)
            ),
        };
        foreach (var (component, pids) in orphans)
        {
            var known = RunningPid(component);
            foreach (var pid in pids.Where(pid => pid != known))
            {
                logger.LogInformation(
                    "Stopping a stale {Component} process (pid {Pid})",
                    component,
                    pid
                );
                await DaemonProcess.StopAsync(pid, StopGrace, cancellationToken);
            }
        }

        if (RunningPid(NodeComponent.Containerd) is null)
        {
            await KillLeftoverShimsAsync(cancellationToken);
        }

        if (RunningPid(NodeComponent.Stargz) is null)
        {
            var detached =
                MountTable.DetachAllBelow(Layout.StateRoot)
                + MountTable.DetachAllBelow(Layout.RunRoot);
            if (detached > 0)
            {
                logger.LogInformation("Unmounted {Count} stale mount(s)", detached);
            }

            if (File.Exists(Layout.StargzSocket))
            {
                File.Delete(Layout.StargzSocket);
            }
        }
    }

    /// <summary>Kills every task and removes every container in the harness namespace.</summary>
    private async Task RemoveContainersAsync(CancellationToken cancellationToken)
    {
        if (RunningPid(NodeComponent.Containerd) is null)
        {
            return;
        }

        foreach (var container in await Containerd.ListContainersAsync(cancellationToken))
        {
            await Containerd.RemoveContainerAsync(container, cancellationToken);
        }
    }

    /// <summary>
    /// Kills the runc shims started by our containerd, with the containers they supervise.
    /// Shims outlive containerd by design, so after a crash they are found by the containerd
    /// address on their command line.
    /// </summary>
    private async Task KillLeftoverShimsAsync(CancellationToken cancellationToken)
    {
        var shims = DaemonProcess.FindByCommandLine(
            "containerd-shim",
            "-address",
            Layout.ContainerdSocket
        );
        var killed = new List<int>();
        foreach (var shim in shims)
        {
            foreach (var child in DaemonProcess.ChildProcessIds(shim))
            {
                LibC.kill(child, LibC.SIGKILL);
                killed.Add(child);
            }

            LibC.kill(shim, LibC.SIGKILL);
            killed.Add(shim);
            logger.Log(StartLogLevel, "Killed a leftover containerd shim (pid {Pid})", shim);
        }

        // Callers delete the folders and unmount the file systems these processes used, so
        // they must have exited, not only been signalled.
        foreach (var pid in killed)
        {
            await DaemonProcess.WaitForExitAsync(pid, cancellationToken);
        }
    }
}
