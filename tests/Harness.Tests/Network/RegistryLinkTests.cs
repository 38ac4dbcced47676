using System.Diagnostics;
using System.Net.Sockets;
using Harness.Experiments;
using Harness.Network;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Network;

/// <summary>
/// Fidelity of the emulated link, measured with real transfers through real sockets on
/// 127.0.0.1. The asserted rates and times are the link's settings, not speed targets.
/// </summary>
[Collection(LinkTimingCollection.Name)]
public sealed class RegistryLinkTests : IDisposable
{
    private const int MiB = 1024 * 1024;

    // Ends a test's transfers if it runs past its timeout, which xunit reports but cannot stop.
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));
    private readonly ITestOutputHelper output;

    public RegistryLinkTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Theory(Timeout = 60_000)]
    [InlineData(50)]
    [InlineData(200)]
    public async Task Throughput_of_64MiB_blob_matches_bandwidth(double bandwidthMbit)
    {
        await using var server = BlobServer.Start();
        await using var link = await StartLinkAsync(server, bandwidthMbit, rttMs: 2);
        using var connection = await TestHttpConnection.OpenAsync(link.Endpoint, Token);

        var transfer = await connection.GetAsync($"/bytes/{64 * MiB}", Token);

        Assert.Equal(64 * MiB, transfer.BodyBytes);
        Assert.InRange(RateMbit(transfer), 0.9 * bandwidthMbit, 1.1 * bandwidthMbit);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(50)]
    public async Task Round_trip_on_open_connection_matches_rtt(double rttMs)
    {
        await using var server = BlobServer.Start();
        await using var link = await StartLinkAsync(server, bandwidthMbit: 100, rttMs);
        using var connection = await TestHttpConnection.OpenAsync(link.Endpoint, Token);
        await connection.GetAsync("/v2/", Token);

        var roundTrips = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var transfer = await connection.GetAsync("/v2/", Token);
            roundTrips.Add(Milliseconds(transfer.SentAt, transfer.CompletedAt));
        }

        // The fastest round trip is the link's own: waiting for a busy CPU only adds to one.
        output.WriteLine($"round trips (ms): {string.Join(", ", roundTrips.Order())}");
        Assert.InRange(roundTrips.Min(), rttMs - 2, rttMs + 2);
    }

    [Fact(Timeout = 30_000)]
    public async Task New_connection_pays_handshake_round_trip()
    {
        // A request on a new connection waits for SYN and SYN-ACK (one round trip), then
        // makes its own round trip: 2 x 20 ms from connect() to the response, each round trip
        // within 2 ms. As above, the fastest attempt shows the link's own delay.
        await using var server = BlobServer.Start();
        await using var link = await StartLinkAsync(server, bandwidthMbit: 100, rttMs: 20);

        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var connection = await TestHttpConnection.OpenAsync(link.Endpoint, Token);
            var transfer = await connection.GetAsync("/v2/", Token);
            times.Add(Milliseconds(started, transfer.CompletedAt));
        }

        output.WriteLine($"connect to response (ms): {string.Join(", ", times.Order())}");
        Assert.InRange(times.Min(), 36, 44);
    }

    [Fact(Timeout = 30_000)]
    public async Task Byte_counters_match_known_transfer()
    {
        const int BodyBytes = 1_000_003;
        var expectedToNode =
            "HTTP/1.1 200 OK\r\nContent-Length: 1000003\r\n\r\n".Length + BodyBytes;
        var expectedToRegistry = TestHttpConnection.RequestFor($"/bytes/{BodyBytes}").Length;
        await using var server = BlobServer.Start();
        await using var link = await StartLinkAsync(server, bandwidthMbit: 400, rttMs: 1);
        using var connection = await TestHttpConnection.OpenAsync(link.Endpoint, Token);

        await connection.GetAsync($"/bytes/{BodyBytes}", Token);

        Assert.Equal(expectedToNode, link.BytesToNode);
        Assert.Equal(server.BytesSent, link.BytesToNode);
        Assert.Equal(expectedToRegistry, link.BytesToRegistry);

        link.ResetCounters();
        Assert.Equal(0, link.BytesToNode);
        Assert.Equal(0, link.BytesToRegistry);

        await connection.GetAsync("/v2/", Token);

        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".Length, link.BytesToNode);
        Assert.Equal(TestHttpConnection.RequestFor("/v2/").Length, link.BytesToRegistry);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unshaped_link_passes_data_through_and_counts()
    {
        const int BodyBytes = 8 * MiB + 17;
        await using var server = BlobServer.Start();
        await using var link = await RegistryLink.StartAsync(
            server.Endpoint,
            settings: null,
            Options(),
            Token
        );
        using var connection = await TestHttpConnection.OpenAsync(link.Endpoint, Token);

        var transfer = await connection.GetAsync($"/bytes/{BodyBytes}", Token);

        output.WriteLine($"unshaped rate (Mbit/s): {RateMbit(transfer)}");
        Assert.False(link.IsShaping);
        Assert.Null(link.Settings);
        Assert.Equal(200, transfer.Status);
        Assert.Equal(BodyBytes, transfer.BodyBytes);
        Assert.True(transfer.PatternIntact, "a body byte differs from the server's pattern");
        Assert.Equal(server.BytesSent, link.BytesToNode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_connections_share_bandwidth()
    {
        // Two 16 MiB transfers on one 100 Mbit/s link take as long as one 32 MiB transfer:
        // together they get the link's rate, each about half of it.
        const double BandwidthMbit = 100;
        await using var server = BlobServer.Start();
        await using var link = await StartLinkAsync(server, BandwidthMbit, rttMs: 2);
        using var first = await TestHttpConnection.OpenAsync(link.Endpoint, Token);
        using var second = await TestHttpConnection.OpenAsync(link.Endpoint, Token);

        var transfers = await Task.WhenAll(
            first.GetAsync($"/bytes/{16 * MiB}", Token),
            second.GetAsync($"/bytes/{16 * MiB}", Token)
        );
        output.WriteLine($"rates (Mbit/s): {RateMbit(transfers[0])}, {RateMbit(transfers[1])}");

        var started = transfers.Min(transfer => transfer.SentAt);
        var completed = transfers.Max(transfer => transfer.CompletedAt);
        var combinedMbit = 2.0 * 16 * MiB * 8 / Seconds(started, completed) / 1e6;
        Assert.InRange(combinedMbit, 0.9 * BandwidthMbit, 1.1 * BandwidthMbit);
        Assert.InRange(RateMbit(transfers[0]), 0, 0.75 * BandwidthMbit);
        Assert.InRange(RateMbit(transfers[1]), 0, 0.75 * BandwidthMbit);
    }

    [Fact(Timeout = 30_000)]
    public async Task Shutdown_closes_connections_and_frees_port()
    {
        await using var server = BlobServer.Start();
        var port = LoopbackPorts.FindFreePort();
        var link = await RegistryLink.StartAsync(
            server.Endpoint,
            new NetworkLink { BandwidthMbit = 1, RttMs = 2 },
            Options() with
            {
                ListenPort = port,
            },
            Token
        );
        using var connection = await TestHttpConnection.OpenAsync(link.Endpoint, Token);

        // 10 MB at 1 Mbit/s would take 80 s, so the transfer is still running at shutdown.
        var transfer = connection.GetAsync("/bytes/10000000", Token);
        await Task.Delay(200, Token);
        await link.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => transfer);
        var refused = await Assert.ThrowsAsync<SocketException>(() =>
            TestHttpConnection.OpenAsync(link.Endpoint, Token)
        );
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        using var listener = new TcpListener(link.Endpoint);
        listener.Start();
        Assert.Equal(port, link.Endpoint.Port);
    }

    private CancellationToken Token => timeout.Token;

    public void Dispose() => timeout.Dispose();

    private static RegistryLinkOptions Options() => new() { StatusPath = null };

    private Task<RegistryLink> StartLinkAsync(
        BlobServer server,
        double bandwidthMbit,
        double rttMs
    ) =>
        RegistryLink.StartAsync(
            server.Endpoint,
            new NetworkLink { BandwidthMbit = bandwidthMbit, RttMs = rttMs },
            Options(),
            Token
        );

    private static double RateMbit(HttpTransfer transfer) =>
        transfer.BytesAfterFirstRead
        * 8
        / Seconds(transfer.FirstReadAt, transfer.CompletedAt)
        / 1e6;

    private static double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;

    private static double Milliseconds(long from, long to) => Seconds(from, to) * 1000;
}
