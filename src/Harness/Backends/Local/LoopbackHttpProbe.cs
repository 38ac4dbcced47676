using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Backends.Local;

/// <summary>
/// Sends a plain HTTP/1.1 GET to a function on 127.0.0.1 over a new connection and returns
/// as soon as the status line arrives. Each request does little beyond the request itself,
/// which keeps polling light on the cores the starting function needs, and a timed request
/// ends at the response's first bytes.
/// </summary>
internal static class LoopbackHttpProbe
{
    // Status lines are short ("HTTP/1.1 200 OK\r\n"); a longer one is parsed from its first
    // 512 bytes, which always contain the status code.
    private const int StatusLineBytes = 512;

    /// <summary>Returns the response's status code, or null when nothing accepts connections
    /// on the port yet (refused or reset).</summary>
    public static async Task<int?> GetStatusAsync(
        int port,
        string path,
        CancellationToken cancellationToken
    )
    {
        using var socket = new Socket(
            AddressFamily.InterNetwork,
            SocketType.Stream,
            ProtocolType.Tcp
        )
        {
            NoDelay = true,
        };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        }
        catch (SocketException)
        {
            return null;
        }

        var request = Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        );
        var buffer = new byte[StatusLineBytes];
        var received = 0;
        try
        {
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            while (received < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, received) < 0)
            {
                var count = await socket.ReceiveAsync(
                    buffer.AsMemory(received),
                    SocketFlags.None,
                    cancellationToken
                );
                if (count == 0)
                {
                    break;
                }

                received += count;
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return ParseStatus(Encoding.ASCII.GetString(buffer, 0, received), port, path);
    }

    // RFC 9112, section 4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
    private static int? ParseStatus(string response, int port, string path)
    {
        if (response.Length == 0)
        {
            return null;
        }

        var parts = response.Split(' ', 3);
        if (
            parts.Length < 2
            || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(parts[1], out var status)
        )
        {
            var firstLine = response.Split('\n')[0].Trim();
            throw new HarnessException(
                $"GET http://127.0.0.1:{port}{path} returned '{firstLine}', expected an HTTP "
                    + "status line such as 'HTTP/1.1 200 OK'."
            );
        }

        return status;
    }
}
