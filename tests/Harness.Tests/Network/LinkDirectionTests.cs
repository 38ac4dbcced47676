using System.Diagnostics;
using Harness.Experiments;
using Harness.Network;
using Xunit;

namespace Harness.Tests.Network;

/// <summary>
/// The schedule of one link direction, worked by hand. At 8 Mbit/s a byte takes 1 us to
/// serialize, so 1000 bytes take 1 ms. A 10 ms round trip is a 5 ms one-way delay.
/// </summary>
public sealed class LinkDirectionTests
{
    private static readonly NetworkLink Link = new() { BandwidthMbit = 8, RttMs = 10 };

    [Fact]
    public void Lone_chunk_pays_serialization_and_delay()
    {
        var direction = new LinkDirection(Link, new Random(1));

        var schedule = direction.Schedule(1000, arrival: 0);

        AssertAt(1 + 5, schedule.Release);
        Assert.True(schedule.Exact);
    }

    [Fact]
    public void Chunks_from_two_connections_queue_behind_each_other()
    {
        var direction = new LinkDirection(Link, new Random(1));

        var first = direction.Schedule(1000, arrival: 0);
        var second = direction.Schedule(1000, arrival: Ticks(0.5));

        AssertAt(1 + 5, first.Release);
        AssertAt(2 + 5, second.Release);
        Assert.False(second.Exact);
    }

    [Fact]
    public void Chunk_after_idle_gap_starts_on_arrival()
    {
        var direction = new LinkDirection(Link, new Random(1));
        direction.Schedule(1000, arrival: 0);

        var later = direction.Schedule(2000, arrival: Ticks(10));

        AssertAt(10 + 2 + 5, later.Release);
        Assert.True(later.Exact);
    }

    [Fact]
    public void Waiting_chunk_continues_without_gap()
    {
        // The proxy read the chunk 3 ms after the previous one had been sent, but the data
        // was waiting all along, so it starts where the previous chunk ended.
        var direction = new LinkDirection(Link, new Random(1));
        var previous = direction.Schedule(1000, arrival: 0);

        var late = direction.Schedule(1000, arrival: Ticks(4), waitingSince: previous.Sent);

        AssertAt(1, previous.Sent);
        AssertAt(2 + 5, late.Release);
        Assert.False(late.Exact);
    }

    [Fact]
    public void Waiting_chunk_catch_up_is_limited()
    {
        var direction = new LinkDirection(Link, new Random(1));
        var previous = direction.Schedule(1000, arrival: 0);
        var arrival = 1 + LinkDirection.CatchUpLimitMs + 30;

        var late = direction.Schedule(1000, arrival: Ticks(arrival), waitingSince: previous.Sent);

        AssertAt(arrival - LinkDirection.CatchUpLimitMs + 1 + 5, late.Release);
    }

    [Fact]
    public void Waiting_chunk_starts_after_own_previous()
    {
        // Another connection's chunk left the link idle at 1 ms. This connection's previous
        // chunk finished at 20 ms, so its waiting data cannot have entered the link earlier.
        var direction = new LinkDirection(Link, new Random(1));
        direction.Schedule(1000, arrival: 0);

        var late = direction.Schedule(1000, arrival: Ticks(25), waitingSince: Ticks(20));

        AssertAt(20 + 1 + 5, late.Release);
    }

    [Fact]
    public void Lost_segments_cost_round_trip_and_resend()
    {
        // Every draw below the loss probability: both segments of 2896 bytes are lost, so the
        // link sends 5792 bytes (5.792 ms) and the data arrives one 10 ms round trip late.
        var lossy = Link with { LossPercent = 1 };
        var direction = new LinkDirection(lossy, new FixedRandom(0.0));

        var schedule = direction.Schedule(2 * LinkDirection.SegmentBytes, arrival: 0);

        AssertAt(5.792 + 5 + 10, schedule.Release);
    }

    [Fact]
    public void Draws_above_loss_probability_lose_nothing()
    {
        var lossy = Link with { LossPercent = 1 };
        var direction = new LinkDirection(lossy, new FixedRandom(0.5));

        var schedule = direction.Schedule(2 * LinkDirection.SegmentBytes, arrival: 0);

        AssertAt(2.896 + 5, schedule.Release);
    }

    private static long Ticks(double milliseconds) =>
        (long)Math.Round(milliseconds * Stopwatch.Frequency / 1000);

    // The schedule rounds up to whole Stopwatch ticks, so one tick either way is exact.
    private static void AssertAt(double expectedMilliseconds, long release) =>
        Assert.InRange(release, Ticks(expectedMilliseconds) - 1, Ticks(expectedMilliseconds) + 1);

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
