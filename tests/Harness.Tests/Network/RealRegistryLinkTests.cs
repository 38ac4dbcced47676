using Harness.Experiments;
using Harness.Network;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Network;

/// <summary>The link in front of a real distribution registry, as the node uses it.</summary>
[Collection(LinkTimingCollection.Name)]
public sealed class RealRegistryLinkTests(ITestOutputHelper output)
{
    [RegistryInstalledFact(Timeout = 60_000)]
    public async Task Blob_pull_through_link_matches_settings()
    {
        const int BlobBytes = 8 * 1024 * 1024;
        var blob = new byte[BlobBytes];
        new Random(7).NextBytes(blob);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var registry = await LocalRegistry.StartAsync(timeout.Token);
        var blobPath = await registry.PushBlobAsync("link/test", blob, timeout.Token);
        await using var link = await RegistryLink.StartAsync(
            registry.Endpoint,
            new NetworkLink { BandwidthMbit = 100, RttMs = 20 },
            new RegistryLinkOptions { StatusPath = null },
            timeout.Token
        );

        // The registry's own time per request is measured directly and left out, so what
        // remains is the round trip that the link adds. Each is the fastest of its requests,
        // the one that waited least for a busy CPU.
        var direct = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{registry.Endpoint}"),
            bulkPath: null,
            timeout.Token
        );
        var measured = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{link.Endpoint}"),
            blobPath,
            timeout.Token
        );
        output.WriteLine($"direct round trips (ms): {string.Join(", ", direct.RoundTripsMs)}");
        output.WriteLine($"round trips (ms): {string.Join(", ", measured.RoundTripsMs)}");
        output.WriteLine($"throughput (Mbit/s): {measured.ThroughputMbit}");

        Assert.Equal(BlobBytes, measured.BulkBytes);
        Assert.InRange(measured.RttMs - direct.RttMs, 18, 22);
        Assert.NotNull(measured.ThroughputMbit);
        Assert.InRange(measured.ThroughputMbit.Value, 90, 110);
        Assert.InRange(link.BytesToNode, BlobBytes, BlobBytes + 64 * 1024);
    }
}
