using System.Diagnostics;

namespace Harness.Network;

/// <summary>
/// Measures the link between node and registry as applied, with real HTTP requests through it,
/// so a run can record the link it measured next to the one it was set to.
/// </summary>
public static class LinkMeasurement
{
    /// <summary>Registry API base endpoint, to which a registry responds with a small body and
    /// status 200 or 401 (OCI distribution specification, endpoint end-1).</summary>
    public const string ProbePath = "/v2/";

    /// <summary>Number of timed round trips; the median of an odd number is one of them.
    /// </summary>
    public const int RoundTrips = 9;

    private const int ReadBufferBytes = 64 * 1024;

    /// <summary>
    /// Measures the round-trip time with <see cref="RoundTrips"/> requests for
    /// <see cref="ProbePath"/> on one kept-alive connection, and, when
    /// <paramref name="bulkPath"/> is given, the throughput of one GET of it.
    /// </summary>
    /// <param name="endpoint">Base address to measure through, such as
    /// <c>http://127.0.0.1:5001</c> for a <see cref="RegistryLink"/>.</param>
    /// <param name="bulkPath">Path of a large response, such as a layer blob
    /// (<c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>); several megabytes give a steady rate.
    /// </param>
    /// <param name="cancellationToken">Cancels the measurement.</param>
    public static async Task<MeasuredLink> MeasureAsync(
        Uri endpoint,
        string? bulkPath,
        CancellationToken cancellationToken
    )
    {
        // Every await continues on the thread pool, so a caller's synchronization context
        // cannot add its queueing delay to the measured times.
        //
        // One connection only, so every timed request reuses the connection that the untimed
        // first request opened and none pays for a TCP handshake.
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,

            // A redirect would leave the measured link, and possibly this machine.
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = endpoint };

        await RequestProbeAsync(client, cancellationToken).ConfigureAwait(false);
        var roundTrips = new List<double>(RoundTrips);
        for (var i = 0; i < RoundTrips; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await RequestProbeAsync(client, cancellationToken).ConfigureAwait(false);
            roundTrips.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var sorted = roundTrips.Order().ToList();
        var measured = new MeasuredLink
        {
            RttMs = sorted[0],
            MedianRttMs = sorted[sorted.Count / 2],
            RoundTripsMs = roundTrips,
        };
        if (bulkPath is null)
        {
            return measured;
        }

        var (bytes, megabits) = await MeasureBulkAsync(client, bulkPath, cancellationToken)
            .ConfigureAwait(false);
        return measured with { BulkBytes = bytes, ThroughputMbit = megabits };
    }

    private static async Task RequestProbeAsync(
        HttpClient client,
        CancellationToken cancellationToken
    )
    {
        // Any status will do, because only the time is measured and an authenticating registry
        // returns 401 just as quickly.
        using var response = await client
            .GetAsync(ProbePath, cancellationToken)
            .ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(long Bytes, double? Megabits)> MeasureBulkAsync(
        HttpClient client,
        string bulkPath,
        CancellationToken cancellationToken
    )
    {
        using var response = await client
            .GetAsync(bulkPath, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HarnessException(
                $"Could not measure the link's throughput: GET {bulkPath} through "
                    + $"{client.BaseAddress} returned {(int)response.StatusCode} "
                    + $"{response.ReasonPhrase}, expected 200. Pass the path of a blob that the "
                    + "registry holds."
            );
        }

        var body = await response
            .Content.ReadAsStreamAsync(cancellationToken)
            .ConfigureAwait(false);
        await using var bodyScope = body.ConfigureAwait(false);
        var buffer = new byte[ReadBufferBytes];
        long total = 0;
        long afterFirstRead = 0;
        long firstReadAt = 0;
        long lastReadAt = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            lastReadAt = Stopwatch.GetTimestamp();
            if (total == 0)
            {
                firstReadAt = lastReadAt;
            }
            else
            {
                afterFirstRead += read;
            }

            total += read;
        }

        // Timing from the first byte leaves out the request's round trip, so what remains is
        // the rate at which the link delivered the rest of the body.
        var seconds = (double)(lastReadAt - firstReadAt) / Stopwatch.Frequency;
        double? megabits = seconds > 0 ? afterFirstRead * 8 / seconds / 1_000_000 : null;
        return (total, megabits);
    }
}
