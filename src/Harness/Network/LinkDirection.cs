using System.Diagnostics;
using Harness.Experiments;

namespace Harness.Network;

/// <summary>
/// One direction of the emulated link, shared by every connection that crosses it, as one
/// network interface is. Chunks leave a single serializer one after another at the link's
/// bandwidth, then travel for the one-way delay.
/// </summary>
/// <remarks>
/// A chunk's release time is its serialization end plus the one-way delay, where serialization
/// starts at the chunk's arrival or when the previous chunk has left, whichever is later. This
/// is how a first-in, first-out link queue combines delay and bandwidth: a lone small chunk
/// pays the delay only, and back-to-back chunks leave spaced by size / bandwidth.
/// </remarks>
internal sealed class LinkDirection
{
    /// <summary>Payload of one TCP segment on a 1500-byte MTU path with TCP timestamps
    /// (1500 - 20 IPv4 - 20 TCP - 12 option bytes); loss is drawn per segment of this size.
    /// </summary>
    public const int SegmentBytes = 1448;

    /// <summary>Maximum time, in milliseconds, by which the serialization of data that was
    /// waiting may start before the proxy read it, to make up for time lost while the proxy
    /// was not scheduled.</summary>
    /// <remarks>NOTE: the proxy cannot see when waiting data arrived. If the sender paused, or
    /// the receiver stopped reading (TCP flow control), while the queue was full, the data may
    /// have arrived later than the previous chunk left, and then it reaches the far end up to
    /// this much sooner than on a real link.</remarks>
    public const double CatchUpLimitMs = 10;

    private readonly double ticksPerByte;
    private readonly long oneWayDelayTicks;
    private readonly long catchUpLimitTicks = ToTicks(CatchUpLimitMs);
    private readonly long retransmissionDelayTicks;
    private readonly double lossProbability;
    private readonly Random random;
    private readonly Lock gate = new();

    // Stopwatch timestamp at which the serializer has sent everything scheduled so far.
    private double serializerFreeAt;

    public LinkDirection(NetworkLink settings, Random random)
    {
        var bytesPerSecond = settings.BandwidthMbit * 1_000_000 / 8;
        ticksPerByte = Stopwatch.Frequency / bytesPerSecond;
        oneWayDelayTicks = ToTicks(settings.RttMs / 2);

        // A lost segment is noticed by the sender from duplicate acknowledgements and resent
        // (TCP fast retransmit, RFC 5681 section 3.2), so its data arrives about one round
        // trip later than it would have.
        retransmissionDelayTicks = ToTicks(settings.RttMs);
        lossProbability = settings.LossPercent / 100;
        this.random = random;
    }

    /// <summary>Schedules a chunk of <paramref name="bytes"/> that arrived at the Stopwatch
    /// timestamp <paramref name="arrival"/> and returns when it reaches the far end.</summary>
    /// <param name="bytes">Size of the chunk.</param>
    /// <param name="arrival">Stopwatch timestamp at which the chunk was read.</param>
    /// <param name="waitingSince">For data that was already waiting when the proxy read it,
    /// the time the same connection's previous chunk finished sending
    /// (<see cref="LinkSchedule.Sent"/>): a real link would have sent the data from then on.
    /// Null for data that the proxy read as soon as it arrived.</param>
    public LinkSchedule Schedule(int bytes, long arrival, long? waitingSince = null)
    {
        lock (gate)
        {
            // Waiting data enters the link where the connection's previous chunk left it,
            // even if the proxy read it late, so a busy machine does not lower the rate.
            var ready = waitingSince is { } since
                ? Math.Min(arrival, Math.Max(since, arrival - catchUpLimitTicks))
                : arrival;
            var linkWasIdle = waitingSince is null && arrival >= serializerFreeAt;
            var start = Math.Max(ready, serializerFreeAt);

            // A resent segment crosses the link a second time and so takes bandwidth again.
            var lostSegments = CountLostSegments(bytes);
            var resentBytes = Math.Min(bytes, lostSegments * SegmentBytes);
            serializerFreeAt = start + (bytes + resentBytes) * ticksPerByte;

            var release = serializerFreeAt + oneWayDelayTicks;
            if (lostSegments > 0)
            {
                release += retransmissionDelayTicks;
            }

            return new LinkSchedule(
                (long)Math.Ceiling(release),
                linkWasIdle,
                (long)Math.Ceiling(serializerFreeAt)
            );
        }
    }

    private int CountLostSegments(int bytes)
    {
        if (lossProbability <= 0)
        {
            return 0;
        }

        var segments = (bytes + SegmentBytes - 1) / SegmentBytes;
        var lost = 0;
        for (var segment = 0; segment < segments; segment++)
        {
            if (random.NextDouble() < lossProbability)
            {
                lost++;
            }
        }

        return lost;
    }

    private static long ToTicks(double milliseconds) =>
        (long)Math.Round(milliseconds * Stopwatch.Frequency / 1000);
}
