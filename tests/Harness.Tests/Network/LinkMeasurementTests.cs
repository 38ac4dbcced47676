using Harness.Experiments;
using Harness.Network;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Network;

/// <summary>Measurement of an applied link through real requests.</summary>
[Collection(LinkTimingCollection.Name)]
public sealed class LinkMeasurementTests(ITestOutputHelper output)
{
    [Fact(Timeout = 30_000)]
    public async Task Measurement_reports_applied_link()
    {
        const int BulkBytes = 8 * 1024 * 1024;
        await using var server = BlobServer.Start();
        await using var link = await RegistryLink.StartAsync(
            server.Endpoint,
            new NetworkLink { BandwidthMbit = 100, RttMs = 20 },
            new RegistryLinkOptions { StatusPath = null },
            CancellationToken.None
        );

        // The server's own time per request is measured directly and left out, so what
        // remains is the round trip that the link adds.
        var direct = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{server.Endpoint}"),
            bulkPath: null,
            CancellationToken.None
        );
        var measured = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{link.Endpoint}"),
            $"/bytes/{BulkBytes}",
            CancellationToken.None
        );
        output.WriteLine($"direct round trips (ms): {string.Join(", ", direct.RoundTripsMs)}");
        output.WriteLine($"round trips (ms): {string.Join(", ", measured.RoundTripsMs)}");

        Assert.Equal(LinkMeasurement.RoundTrips, measured.RoundTripsMs.Count);
        Assert.Equal(measured.RoundTripsMs.Min(), measured.RttMs);
        Assert.Equal(Median(measured.RoundTripsMs), measured.MedianRttMs);
        Assert.InRange(measured.RttMs - direct.RttMs, 18, 22);
        Assert.Equal(BulkBytes, measured.BulkBytes);
        Assert.NotNull(measured.ThroughputMbit);
        Assert.InRange(measured.ThroughputMbit.Value, 90, 110);
    }

    [Fact(Timeout = 30_000)]
    public async Task Measurement_without_bulk_path_skips_throughput()
    {
        await using var server = BlobServer.Start();
        await using var link = await RegistryLink.StartAsync(
            server.Endpoint,
            settings: null,
            new RegistryLinkOptions { StatusPath = null },
            CancellationToken.None
        );

        var measured = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{link.Endpoint}"),
            bulkPath: null,
            CancellationToken.None
        );

        Assert.Null(measured.ThroughputMbit);
        Assert.Null(measured.BulkBytes);
        Assert.InRange(measured.RttMs, 0, 2);
    }

    [Fact(Timeout = 30_000)]
    public async Task Missing_bulk_path_names_status()
    {
        await using var server = BlobServer.Start();

        var error = await Assert.ThrowsAsync<HarnessException>(() =>
            LinkMeasurement.MeasureAsync(
                new Uri($"http://{server.Endpoint}"),
                "/missing",
                CancellationToken.None
            )
        );

        Assert.Contains("404", error.Message);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
