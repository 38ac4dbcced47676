namespace Harness.Network;

/// <summary>The link between node and registry as measured through it.</summary>
public sealed record MeasuredLink
{
    /// <summary>Fastest of <see cref="RoundTripsMs"/>, in milliseconds: the link's own round
    /// trip as closely as it can be seen.</summary>
    /// <remarks>Waiting for a busy CPU, in the proxy, the client or the registry, only ever
    /// adds to a round trip, so the fastest one contains the least of that wait. Ping reports
    /// the same figure as its minimum, and TCP keeps it as the path's base round trip.</remarks>
    public required double RttMs { get; init; }

    /// <summary>Median of <see cref="RoundTripsMs"/>, in milliseconds: what a typical small
    /// request took, host delays included.</summary>
    public required double MedianRttMs { get; init; }

    /// <summary>Each small request's time from send to the end of its response, in
    /// milliseconds, over one established connection.</summary>
    public required IReadOnlyList<double> RoundTripsMs { get; init; }

    /// <summary>Rate of the bulk transfer from its first to its last received byte, in
    /// megabits per second; null when no bulk transfer was measured.</summary>
    public double? ThroughputMbit { get; init; }

    /// <summary>Size of the bulk transfer's body in bytes; null when none was measured.</summary>
    public long? BulkBytes { get; init; }
}
