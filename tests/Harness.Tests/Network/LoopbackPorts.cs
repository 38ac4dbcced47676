using System.Net;
using System.Net.Sockets;

namespace Harness.Tests.Network;

/// <summary>Ports 15200-15299 on 127.0.0.1, which the network tests use for their servers.
/// </summary>
internal static class LoopbackPorts
{
    private const int First = 15200;
    private const int Last = 15299;

    /// <summary>Starts a listener on the first free port of the range.</summary>
    public static TcpListener StartListener()
    {
        for (var port = First; port <= Last; port++)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return listener;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                listener.Dispose();
            }
        }

        throw new InvalidOperationException($"No free port on 127.0.0.1 from {First} to {Last}.");
    }

    /// <summary>Returns a port of the range that was free a moment ago.</summary>
    public static int FindFreePort()
    {
        using var listener = StartListener();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
