using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Tests.Network;

/// <summary>
/// A kept-alive HTTP/1.1 client connection on a raw socket, so tests control exactly which
/// bytes cross the link and when each response arrived. Its awaits continue on the thread
/// pool, so the test framework's synchronization context does not delay the timestamps.
/// </summary>
internal sealed class TestHttpConnection : IDisposable
{
    private readonly Socket socket;
    private readonly byte[] buffer = new byte[64 * 1024];

    private TestHttpConnection(Socket socket)
    {
        this.socket = socket;
    }

    public static async Task<TestHttpConnection> OpenAsync(
        IPEndPoint endpoint,
        CancellationToken cancellationToken
    )
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return new TestHttpConnection(socket);
    }

    /// <summary>The exact bytes sent for a GET of <paramref name="path"/>.</summary>
    public static byte[] RequestFor(string path) =>
        Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: registry.test\r\n\r\n");

    /// <summary>Sends a GET of <paramref name="path"/> and reads the whole response.</summary>
    public async Task<HttpTransfer> GetAsync(string path, CancellationToken cancellationToken)
    {
        var sentAt = Stopwatch.GetTimestamp();
        await socket
            .SendAsync(RequestFor(path), SocketFlags.None, cancellationToken)
            .ConfigureAwait(false);

        // Read until the end of the head; whatever follows it in the same read is body.
        var head = new StringBuilder();
        int headEnd;
        int received;
        do
        {
            received = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            head.Append(Encoding.Latin1.GetString(buffer, 0, received));
            headEnd = head.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
        } while (headEnd < 0);

        var headText = head.ToString(0, headEnd);
        var status = int.Parse(headText.Split(' ')[1], CultureInfo.InvariantCulture);
        var contentLength = ParseContentLength(headText);

        var firstBodyIndex = received - (head.Length - (headEnd + 4));
        long body = received - firstBodyIndex;
        var intact = MatchesPattern(buffer.AsSpan(firstBodyIndex, (int)body), 0);
        var firstReadAt = Stopwatch.GetTimestamp();
        var completedAt = firstReadAt;
        long afterFirstRead = 0;
        var firstReadHadBody = body > 0;
        while (body < contentLength)
        {
            received = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            completedAt = Stopwatch.GetTimestamp();
            intact &= MatchesPattern(buffer.AsSpan(0, received), body);
            if (firstReadHadBody)
            {
                afterFirstRead += received;
            }
            else
            {
                firstReadAt = completedAt;
                firstReadHadBody = true;
            }

            body += received;
        }

        return new HttpTransfer(
            status,
            body,
            sentAt,
            firstReadAt,
            afterFirstRead,
            completedAt,
            intact
        );
    }

    public void Dispose() => socket.Dispose();

    private async Task<int> ReceiveAsync(CancellationToken cancellationToken)
    {
        var received = await socket
            .ReceiveAsync(buffer, SocketFlags.None, cancellationToken)
            .ConfigureAwait(false);
        if (received == 0)
        {
            throw new IOException("The connection closed before the response was complete.");
        }

        return received;
    }

    private static long ParseContentLength(string head)
    {
        const string Name = "content-length:";
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith(Name, StringComparison.OrdinalIgnoreCase))
            {
                return long.Parse(line[Name.Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidDataException($"The response has no Content-Length: {head}");
    }

    private static bool MatchesPattern(ReadOnlySpan<byte> bytes, long offset)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)((offset + i) % BlobServer.PatternPeriod))
            {
                return false;
            }
        }

        return true;
    }
}
