using System.Net;
using System.Net.Sockets;
using Harness.Native;
using Harness.Node;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Tests.Node;

/// <summary>Start-up, teardown and recovery, each on a node of its own.</summary>
[Collection(LocalNodeCollection.Name)]
public sealed class LocalNodeLifecycleTests
{
    private const int TimeoutMs = 300_000;

    [RootFact(Timeout = TimeoutMs)]
    public async Task Down_LeavesNoProcessMountOrSocket()
    {
        var node = new LocalNode(TestNodes.Layout("down", 15011), NullLogger.Instance);
        await node.UpAsync(CancellationToken.None);
        var (_, estargz) = await BusyboxTestImage.PushAsync(node, 18096, CancellationToken.None);
        await node.Containerd.RemotePullAsync(estargz, CancellationToken.None);
        await node.Containerd.CreateContainerAsync(
            estargz,
            "down-web",
            NodeLayout.StargzSnapshotter,
            CancellationToken.None
        );
        await node.Containerd.StartTaskAsync("down-web", CancellationToken.None);
        var pids = ReadPids(node.Layout);
        var shims = ShimsOf(node.Layout);
        Assert.Equal(3, pids.Count);
        Assert.NotEmpty(shims);

        await node.DownAsync(CancellationToken.None);

        foreach (var pid in pids.Concat(shims))
        {
            Assert.False(DaemonProcess.IsAlive(pid), $"pid {pid} is still running");
        }

        Assert.Empty(MountTable.Below(node.Layout.StateRoot));
        Assert.Empty(MountTable.Below(node.Layout.RunRoot));
        Assert.False(File.Exists(node.Layout.ContainerdSocket));
        Assert.False(File.Exists(node.Layout.StargzSocket));
        Assert.True(PortProbe.IsFree(node.Layout.RegistryPort));
        Assert.False(Directory.Exists(node.Layout.RuncRoot));
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Up_RecoversNodeAfterSigkill()
    {
        var node = new LocalNode(TestNodes.Layout("stale", 15012), NullLogger.Instance);
        await node.UpAsync(CancellationToken.None);
        var (_, estargz) = await BusyboxTestImage.PushAsync(node, 18097, CancellationToken.None);
        await node.Containerd.RemotePullAsync(estargz, CancellationToken.None);
        await node.Containerd.CreateContainerAsync(
            estargz,
            "stale-web",
            NodeLayout.StargzSnapshotter,
            CancellationToken.None
        );
        await node.Containerd.StartTaskAsync("stale-web", CancellationToken.None);
        var killed = ReadPids(node.Layout);
        foreach (var pid in killed)
        {
            LibC.kill(pid, LibC.SIGKILL);
        }

        await node.UpAsync(CancellationToken.None);
        var status = await node.GetStatusAsync(CancellationToken.None);
        var leftoverShims = ShimsOf(node.Layout);
        await node.DownAsync(CancellationToken.None);

        Assert.All(status, component => Assert.True(component.Healthy, component.Name));
        Assert.All(status, component => Assert.DoesNotContain(component.Pid ?? 0, killed));
        Assert.Empty(leftoverShims);
        Assert.Empty(MountTable.Below(node.Layout.StateRoot));
        Assert.Empty(MountTable.Below(node.Layout.RunRoot));
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Up_NamesHolderOfTakenPort()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var node = new LocalNode(TestNodes.Layout("port", port), NullLogger.Instance);

        var error = await Assert.ThrowsAsync<HarnessException>(() =>
            node.UpAsync(CancellationToken.None)
        );

        Assert.Equal(2, error.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message);
        Assert.Empty(ReadPids(node.Layout));
    }

    private static List<int> ReadPids(NodeLayout layout) =>
        NodeComponent
            .StartOrder.Select(component => DaemonProcess.ReadPid(layout.PidFile(component)))
            .OfType<int>()
            .Where(DaemonProcess.IsAlive)
            .ToList();

    private static IReadOnlyList<int> ShimsOf(NodeLayout layout) =>
        DaemonProcess.FindByCommandLine("containerd-shim", "-address", layout.ContainerdSocket);
}
