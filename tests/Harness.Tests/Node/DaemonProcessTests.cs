using Harness.Native;
using Harness.Node;
using Harness.Tests.Network;

namespace Harness.Tests.Node;

/// <summary>Liveness of a real daemon, the registry, while it exits.</summary>
public sealed class DaemonProcessTests
{
    private const int Attempts = 10;

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
}
