using System.Diagnostics;

namespace Harness.Network;

/// <summary>Waits until a Stopwatch timestamp, precisely enough for link emulation.</summary>
/// <remarks>
/// Task.Delay wakes on the runtime's timer, which counts whole milliseconds and, on a busy
/// two-core machine, was seen waking 3 ms late in one of ten waits (200 waits of 3 ms, .NET
/// 10). An exact wait therefore sleeps on the timer until a margin before the deadline and
/// spins, yielding the core, for the rest. A wait that only has to keep an average rate
/// returns up to <see cref="EarlyTolerance"/> early and never spins.
/// </remarks>
internal static class LinkClock
{
    private static readonly long TimerMargin = FromMilliseconds(2);
    private static readonly long EarlyTolerance = FromMilliseconds(1);

    /// <summary>Waits until <paramref name="timestamp"/>; an inexact wait may end up to 1 ms
    /// early.</summary>
    public static async ValueTask WaitUntilAsync(
        long timestamp, bool exact, CancellationToken cancellationToken)
    {
        var tolerance = exact ? 0 : EarlyTolerance;
        var margin = exact ? TimerMargin : tolerance;
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= tolerance)
            {
                return;
            }

            if (remaining <= margin)
            {
                SpinUntil(timestamp, cancellationToken);
                return;
            }

            var sleep = Math.Max(1, (remaining - margin) * 1000 / Stopwatch.Frequency);
            await Task.Delay(TimeSpan.FromMilliseconds(sleep), cancellationToken);
        }
    }

    private static void SpinUntil(long timestamp, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < timestamp)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Yield();
        }
    }

    private static long FromMilliseconds(double milliseconds) =>
        (long)(milliseconds * Stopwatch.Frequency / 1000);
}
