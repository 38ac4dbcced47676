using Microsoft.Extensions.Logging;

namespace Harness.Network;

/// <summary>Optional settings of a <see cref="RegistryLink"/>.</summary>
public sealed record RegistryLinkOptions
{
    /// <summary>Port on 127.0.0.1 that the link listens on; 0 lets the kernel pick a free one.
    /// </summary>
    public int ListenPort { get; init; }

    /// <summary>File that records the active link for <c>harness node status</c>, removed when
    /// the link stops; null records nothing.</summary>
    public string? StatusPath { get; init; } = RegistryLinkStatus.DefaultPath;

    /// <summary>Seed of the random draws that decide which segments are lost; null picks one.
    /// </summary>
    public int? LossSeed { get; init; }

    /// <summary>Receives connection failures; null discards them.</summary>
    public ILogger? Logger { get; init; }
}
