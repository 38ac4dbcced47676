using System.Net;
using System.Net.Sockets;

namespace Harness.Tests.Registry;

/// <summary>
/// Hands out loopback TCP ports in 15100-15199, the range kept for registry tests, starting at
/// a random point so that test runs side by side rarely pick the same port.
/// </summary>
internal static class RegistryTestPorts
{
    public const int First = 15100;
    public const int Count = 100;

    private static int next = Random.Shared.Next(Count);

    /// <summary>Returns a port on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int Reserve()
    {
        for (var tries = 0; tries < Count; tries++)
        {
            var port = First + (Interlocked.Increment(ref next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException(
            $"No free port in {First}-{First + Count - 1} on 127.0.0.1; stop whatever holds them."
        );
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
