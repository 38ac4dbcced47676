using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Tests.Knative;

/// <summary>
/// Plays the Knative ingress and activator on 127.0.0.1: picks the service by the Host header,
/// keeps the request waiting while the stand-in cluster starts a pod, then forwards it to the
/// function stand-in and returns its response. Unknown hosts get 404, as from the real
/// gateway. Built on a TcpListener because HttpListener matches the Host header against its
/// prefixes, and a prefix for any host would listen on every interface.
/// </summary>
internal sealed class IngressStandIn : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly KubernetesApiStandIn cluster;
    private readonly FunctionStandIn function;
    private readonly HttpClient forwarder = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task serving;

    public IngressStandIn(KubernetesApiStandIn cluster, FunctionStandIn function)
    {
        this.cluster = cluster;
        this.function = function;
        (listener, Port) = Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>Host headers of the requests received, in order.</summary>
    public ConcurrentQueue<string> Hosts { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await serving;
        }
        catch (Exception exception)
            when (exception
                    is SocketException
                        or ObjectDisposedException
                        or OperationCanceledException
            ) { }

        forwarder.Dispose();
        stopping.Dispose();
    }

    private static (TcpListener Listener, int Port) Start()
    {
        var count = LoopbackPorts.Last - LoopbackPorts.First + 1;
        var offset = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var port = LoopbackPorts.First + (offset + i) % count;
            var candidate = new TcpListener(IPAddress.Loopback, port);
            try
            {
                candidate.Start();
                return (candidate, port);
            }
            catch (SocketException)
            {
                candidate.Dispose();
            }
        }

        throw new InvalidOperationException("No free port for the ingress stand-in.");
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception)
                when (exception
                        is SocketException
                            or ObjectDisposedException
                            or OperationCanceledException
                )
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(connection));
        }
    }

    private async Task HandleAsync(TcpClient connection)
    {
        using var client = connection;
        var stream = client.GetStream();
        try
        {
            var (path, host) = await ReadRequestAsync(stream, stopping.Token);
            Hosts.Enqueue(host);
            var service = cluster.FindServiceByHost(host);
            if (service is null)
            {
                await WriteAsync(stream, 404, $"no Knative service has host {host}\n");
                return;
            }

            await cluster.ColdStartAsync(service, stopping.Token);
            using var answer = await forwarder.GetAsync(
                $"http://127.0.0.1:{function.Port}{path}",
                stopping.Token
            );
            await WriteAsync(
                stream,
                (int)answer.StatusCode,
                await answer.Content.ReadAsStringAsync(stopping.Token)
            );
            _ = cluster.ScaleToZeroLaterAsync(service);
        }
        catch (Exception exception)
            when (exception
                    is OperationCanceledException
                        or IOException
                        or SocketException
                        or ObjectDisposedException
                        or HttpRequestException
            )
        {
            // The stand-in is stopping or the client went away.
        }
    }

    // Reads an HTTP/1.1 request head: the request line and headers up to the blank line.
    private static async Task<(string Path, string Host)> ReadRequestAsync(
        NetworkStream stream,
        CancellationToken cancellationToken
    )
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, cancellationToken) == 0)
            {
                throw new IOException("connection closed before the request head ended");
            }

            head.Append((char)buffer[0]);
        }

        var lines = head.ToString().Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var host = lines
            .Skip(1)
            .Where(line => line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))
            .Select(line => line["Host:".Length..].Trim())
            .FirstOrDefault()
            ?? "";
        return (path, host);
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head =
            $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\n"
            + $"Content-Type: text/plain\r\nContent-Length: {bytes.Length}\r\n"
            + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }
}
