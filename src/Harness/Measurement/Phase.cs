namespace Harness.Measurement;

/// <summary>
/// Names of the phases of one cold start. Every backend, CSV column and figure uses these
/// names, in this order, so results from the local node and a cluster line up.
/// </summary>
public static class Phase
{
    /// <summary>Request to image ready: manifest, TOC and mount when lazy; download and
    /// unpack when full.</summary>
    public const string Pull = "pull";

    /// <summary>Container and snapshot creation, including the eStargz prefetch wait.</summary>
    public const string Create = "create";

    /// <summary>Task start until the process runs.</summary>
    public const string Start = "start";

    /// <summary>Process start until the first successful readiness request.</summary>
    public const string Ready = "ready";

    /// <summary>Latency of the triggering request.</summary>
    public const string FirstResponse = "first_response";

    /// <summary>Trigger to the first byte of the first response.</summary>
    public const string Total = "total";

    /// <summary>The phases that add up to <see cref="Total"/>, in the order they happen.</summary>
    public static IReadOnlyList<string> Parts { get; } =
    [Pull, Create, Start, Ready, FirstResponse];
}
