using System.Diagnostics;
using Harness.Native;
using Harness.Node;
using Harness.Tests.Network;

namespace Harness.Tests.Node;

/// <summary>Liveness and children of real processes, among them the registry while it
/// exits.</summary>
public sealed class DaemonProcessTests
{
    private const int Attempts = 10;
    private const int ExitingShells = 200;

    [RegistryInstalledFact(Timeout = 120_000)]
    public async Task IsAlive_TrueUntilPortIsReleased()
    {
        // The registry is a Go program with many threads. On SIGTERM its leader thread turns
        // zombie before the other threads have exited, and the listening socket closes only
        // with the last of them. Checking without pause catches that window.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var registry = await LocalRegistry.StartAsync(timeout.Token);
            var port = registry.Endpoint.Port;

            LibC.kill(registry.ProcessId, LibC.SIGTERM);
            while (DaemonProcess.IsAlive(registry.ProcessId))
            {
                timeout.Token.ThrowIfCancellationRequested();
            }

            Assert.True(PortProbe.IsFree(port), $"attempt {attempt}: port {port} is still held");
        }
    }

    [Fact]
    public void ChildProcessIds_ListsEveryChild()
    {
        using var shell = Process.Start("sh", ["-c", "sleep 30 & sleep 30 & wait"]);
        try
        {
            var children = WaitForChildren(shell.Id, count: 2);

            Assert.Equal(2, children.Count);
            Assert.All(children, child => Assert.Equal("sleep", DaemonProcess.ProgramName(child)));
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void ChildProcessIds_WhileProcessExits()
    {
        // Each short-lived shell is queried without pause until it has been reaped. Some queries
        // then land in the moment when its procfs folder exists but can no longer be listed.
        for (var shellNumber = 0; shellNumber < ExitingShells; shellNumber++)
        {
            using var shell = Process.Start("sh", ["-c", "sleep 0.01 & wait"]);
            var pid = shell.Id;
            while (!shell.HasExited)
            {
                Assert.True(DaemonProcess.ChildProcessIds(pid).Count <= 1);

                // Its result changes during the exit, so it is asserted only once the exit is over.
                _ = DaemonProcess.IsAlive(pid);
            }

            shell.WaitForExit();
            Assert.Empty(DaemonProcess.ChildProcessIds(pid));
            Assert.False(DaemonProcess.IsAlive(pid));
        }
    }

    private static IReadOnlyList<int> WaitForChildren(int pid, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var children = DaemonProcess.ChildProcessIds(pid);
        while (children.Count < count && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
            children = DaemonProcess.ChildProcessIds(pid);
        }

        return children;
    }
}
