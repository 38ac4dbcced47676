namespace Harness.Network;

/// <summary>When a chunk reaches the far end of the link.</summary>
/// <param name="Release">Stopwatch timestamp at which the chunk may be delivered.</param>
/// <param name="Exact">True when the chunk found the link idle, so its delivery time is what a
/// request's latency depends on and must be kept to within the clock's precision. Chunks that
/// queued behind others only need the average rate kept.</param>
internal readonly record struct LinkSchedule(long Release, bool Exact);
