using System.Diagnostics;

namespace Harness.Backends.Local;

/// <summary>
/// Timestamps the boundaries of one cold start on a single monotonic clock. Each phase is the
/// time between two consecutive marks, so the phases add up to the total exactly and the
/// harness's own work between steps is charged to the phase that follows it.
/// </summary>
internal sealed class PhaseClock
{
    private readonly long origin = Stopwatch.GetTimestamp();
    private readonly Dictionary<string, double> phases = new(StringComparer.Ordinal);
    private long lastMark;

    public PhaseClock() => lastMark = origin;

    /// <summary>Ends a phase now and records its duration in milliseconds.</summary>
    public void Mark(string phase)
    {
        var now = Stopwatch.GetTimestamp();
        phases[phase] = Stopwatch.GetElapsedTime(lastMark, now).TotalMilliseconds;
        lastMark = now;
    }

    /// <summary>Duration of a finished phase in milliseconds, or null if it never ended.</summary>
    public double? this[string phase] => phases.TryGetValue(phase, out var value) ? value : null;

    /// <summary>Milliseconds from the start to the last mark.</summary>
    public double ElapsedToLastMark => Stopwatch.GetElapsedTime(origin, lastMark).TotalMilliseconds;
}
