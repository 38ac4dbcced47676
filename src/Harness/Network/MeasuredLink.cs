namespace Harness.Network;

/// <summary>The link between node and registry as measured through it.</summary>
public sealed record MeasuredLink
{
    /// <summary>Median of <see cref="RoundTripsMs"/>, in milliseconds.</summary>
    public required double RttMs { get; init; }

    /// <summary>Each small request's time from send to the end of its response, in
    /// milliseconds, over one established connection.</summary>
    public required IReadOnlyList<double> RoundTripsMs { get; init; }

    /// <summary>Rate of the bulk transfer from its first to its last received byte, in
    /// megabits per second; null when no bulk transfer was measured.</summary>
    public double? ThroughputMbit { get; init; }

    /// <summary>Size of the bulk transfer's body in bytes; null when none was measured.</summary>
    public long? BulkBytes { get; init; }
}
