namespace Harness.Experiments;

/// <summary>An emulated network link between the node and the registry.</summary>
public sealed record NetworkLink
{
    /// <summary>Bandwidth in megabits per second, each direction.</summary>
    public required double BandwidthMbit { get; init; }

    /// <summary>Round-trip time in milliseconds added to every exchange.</summary>
    public required double RttMs { get; init; }

    /// <summary>Packet loss in percent; 0 for none.</summary>
    public double LossPercent { get; init; }
}
