using System.Diagnostics;

namespace Harness.Network;

/// <summary>
/// Waits until Stopwatch timestamps on one dedicated thread, precisely enough for link
/// emulation.
/// </summary>
/// <remarks>
/// Task.Delay counts whole milliseconds and resumes its caller through the thread pool. On a
/// shared two-core machine, one in ten of 200 Task.Delay waits of 3 ms ended more than 3 ms
/// late (.NET 10), which would add milliseconds to every emulated round trip. This clock
/// sleeps on a monitor until
/// shortly before the earliest deadline, spins through the last fraction of a millisecond for
/// an exact wait, and completes the waiter on its own thread, so the waiting code (delivering
/// a chunk) runs at once. Code after a wait must therefore be short and must not block.
/// </remarks>
internal static class LinkClock
{
    // Monitor.Wait sleeps whole milliseconds and overshoots (on a two-core virtual machine, a
    // median of 0.18 ms and a 90th percentile of up to 1.3 ms), so it wakes this long before
    // the deadline and an exact wait spins the rest, up to 2 ms. Only emulated handshakes and
    // chunks that find the link idle wait exactly, so bulk transfers do not spin.
    private static readonly long SleepMargin = FromMilliseconds(1.0);
    private static readonly long EarlyTolerance = FromMilliseconds(1);
    private static readonly object Gate = new();
    private static readonly PriorityQueue<Waiter, long> Waiters = new();
    private static Thread? thread;

    /// <summary>Waits until <paramref name="timestamp"/>. An exact wait ends within the
    /// scheduler's precision after it; an inexact one may end up to 1 ms early, which keeps
    /// an average rate while sparing the spin.</summary>
    public static ValueTask WaitUntilAsync(
        long timestamp,
        bool exact,
        CancellationToken cancellationToken
    )
    {
        var tolerance = exact ? 0 : EarlyTolerance;
        if (timestamp - Stopwatch.GetTimestamp() <= tolerance)
        {
            return ValueTask.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();

        // No RunContinuationsAsynchronously: the continuation runs on the clock thread.
        var waiter = new Waiter(exact, new TaskCompletionSource());
        lock (Gate)
        {
            StartThreadOnce();
            Waiters.Enqueue(waiter, timestamp);
            if (ReferenceEquals(Waiters.Peek(), waiter))
            {
                Monitor.Pulse(Gate);
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.Register(() =>
                waiter.Completion.TrySetCanceled(cancellationToken)
            );
        }

        return new ValueTask(waiter.Completion.Task);
    }

    private static void StartThreadOnce()
    {
        if (thread is not null)
        {
            return;
        }

        thread = new Thread(Run) { IsBackground = true, Name = "Registry link clock" };
        thread.Start();
    }

    private static void Run()
    {
        while (true)
        {
            var (due, spinUntil) = TakeNextDue();
            if (due is null)
            {
                SpinUntil(spinUntil);
                continue;
            }

            due.Cancellation.Dispose();
            due.Completion.TrySetResult();
        }
    }

    /// <summary>Sleeps until a waiter is due and returns it, or returns the deadline of an
    /// exact waiter that is less than a sleep away.</summary>
    private static (Waiter? Due, long SpinUntil) TakeNextDue()
    {
        lock (Gate)
        {
            while (true)
            {
                if (!Waiters.TryPeek(out var next, out var deadline))
                {
                    Monitor.Wait(Gate);
                    continue;
                }

                var remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= (next.Exact ? 0 : EarlyTolerance))
                {
                    return (Waiters.Dequeue(), 0);
                }

                var sleep = (remaining - SleepMargin) * 1000 / Stopwatch.Frequency;
                if (sleep >= 1)
                {
                    Monitor.Wait(Gate, (int)Math.Min(sleep, int.MaxValue));
                    continue;
                }

                if (next.Exact)
                {
                    return (null, deadline);
                }

                // An inexact waiter between 1 and 1.2 ms away; one more short sleep brings it
                // inside its tolerance.
                Monitor.Wait(Gate, 1);
            }
        }
    }

    private static void SpinUntil(long timestamp)
    {
        while (Stopwatch.GetTimestamp() < timestamp)
        {
            Thread.SpinWait(20);
        }
    }

    private static long FromMilliseconds(double milliseconds) =>
        (long)(milliseconds * Stopwatch.Frequency / 1000);

    private sealed class Waiter(bool exact, TaskCompletionSource completion)
    {
        public bool Exact { get; } = exact;

        public TaskCompletionSource Completion { get; } = completion;

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
