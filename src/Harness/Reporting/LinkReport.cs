using Harness.Experiments;

namespace Harness.Reporting;

/// <summary>The emulated link of a run: what was configured and what a probe measured.
/// </summary>
public sealed record LinkReport
{
    /// <summary>Link settings as applied to the interface; null when unshaped.</summary>
    public NetworkLink? Applied { get; init; }

    /// <summary>Bandwidth, round-trip time and loss as measured; null when not measured.
    /// </summary>
    public NetworkLink? Measured { get; init; }
}
