using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Tests.Network;

/// <summary>
/// A loopback HTTP/1.1 server that plays the registry behind the link in tests. It keeps
/// connections alive and serves <c>GET /v2/</c> (a 2-byte JSON body) and
/// <c>GET /bytes/N</c> (N bytes whose byte at offset i is i mod 251).
/// </summary>
internal sealed class BlobServer : IAsyncDisposable
{
    /// <summary>Modulus of the body pattern; a prime, so no power-of-two read size lines up
    /// with it.</summary>
    public const int PatternPeriod = 251;

    // 261 whole periods, so consecutive copies continue the pattern.
    private static readonly byte[] PatternBlock = Enumerable
        .Range(0, PatternPeriod * 261)
        .Select(i => (byte)(i % PatternPeriod))
        .ToArray();

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentBag<Socket> clients = [];
    private readonly Task acceptLoop;
    private long bytesSent;

    private BlobServer(TcpListener listener)
    {
        this.listener = listener;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        // On the thread pool, away from the test framework's synchronization context.
        acceptLoop = Task.Run(AcceptAsync);
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>Bytes written to clients, response heads included.</summary>
    public long BytesSent => Interlocked.Read(ref bytesSent);

    public static BlobServer Start() => new(LoopbackPorts.StartListener());

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await acceptLoop;
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptSocketAsync(stop.Token);
                client.NoDelay = true;
                clients.Add(client);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var buffer = new byte[8192];
        var pending = new StringBuilder();
        try
        {
            while (true)
            {
                var headEnd = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd < 0)
                {
                    var received = await client.ReceiveAsync(buffer, stop.Token);
                    if (received == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.ASCII.GetString(buffer, 0, received));
                    continue;
                }

                var requestLine = pending.ToString(0, pending.ToString().IndexOf('\r'));
                pending.Remove(0, headEnd + 4);
                await RespondAsync(client, requestLine.Split(' ')[1]);
            }
        }
        catch (Exception e)
            when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client or the server went away.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task RespondAsync(Socket client, string path)
    {
        if (path == "/v2/")
        {
            await SendAsync(
                client,
                Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            );
            return;
        }

        if (!path.StartsWith("/bytes/", StringComparison.Ordinal))
        {
            await SendAsync(
                client,
                Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            );
            return;
        }

        var length = long.Parse(path["/bytes/".Length..], CultureInfo.InvariantCulture);
        await SendAsync(
            client,
            Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n")
        );
        for (long sent = 0; sent < length; )
        {
            var count = (int)Math.Min(PatternBlock.Length, length - sent);
            await SendAsync(client, PatternBlock.AsMemory(0, count));
            sent += count;
        }
    }

    private async Task SendAsync(Socket client, ReadOnlyMemory<byte> bytes)
    {
        // Counted first, so a client that has read the bytes always finds them counted.
        Interlocked.Add(ref bytesSent, bytes.Length);
        await client.SendAsync(bytes, SocketFlags.None, stop.Token);
    }
}
