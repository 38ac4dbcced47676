using System.Net;
using System.Net.Sockets;
using System.Text;
using Harness.Backends.Local;

namespace Harness.Tests.Backends;

public sealed class LoopbackHttpProbeTests
{
    [Theory(Timeout = 10_000)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200)]
    [InlineData("HTTP/1.0 503 Service Unavailable\r\n\r\n", 503)]
    [InlineData("HTTP/1.1 204\r\n\r\n", 204)]
    public async Task Probe_ReturnsStatusCode(string response, int expected)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var request = ServeOnceAsync(server, response);

        var status = await LoopbackHttpProbe.GetStatusAsync(port, "/ready", CancellationToken.None);

        Assert.Equal(expected, status);
        var received = await request;
        Assert.StartsWith("GET /ready HTTP/1.1\r\n", received);
        Assert.Contains($"Host: 127.0.0.1:{port}\r\n", received);
    }

    [Fact(Timeout = 10_000)]
    public async Task Probe_ReturnsNullWhenNothingListens()
    {
        using var reserved = new TcpListener(IPAddress.Loopback, 0);
        reserved.Start();
        var port = ((IPEndPoint)reserved.LocalEndpoint).Port;
        reserved.Stop();

        var status = await LoopbackHttpProbe.GetStatusAsync(port, "/", CancellationToken.None);

        Assert.Null(status);
    }

    [Fact(Timeout = 10_000)]
    public async Task Probe_RejectsResponseThatIsNotHttp()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        _ = ServeOnceAsync(server, "SSH-2.0-OpenSSH\r\n");

        var error = await Assert.ThrowsAsync<HarnessException>(() =>
            LoopbackHttpProbe.GetStatusAsync(port, "/", CancellationToken.None)
        );

        Assert.Contains("SSH-2.0-OpenSSH", error.Message);
        Assert.Contains("expected an HTTP status line", error.Message);
    }

    // Accepts one connection, reads the request head, sends the response and closes the
    // connection. Returns the request as received.
    private static async Task<string> ServeOnceAsync(TcpListener server, string response)
    {
        using var client = await server.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var count = await stream.ReadAsync(buffer);
            if (count == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return received.ToString();
    }
}
