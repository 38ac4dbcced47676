namespace Harness.Node;

/// <summary>Names of the node's long-running components, as used in pid and log files.</summary>
public static class NodeComponent
{
    public const string Registry = "registry";
    public const string Stargz = "stargz";
    public const string Containerd = "containerd";

    /// <summary>Components in start order: each depends only on those before it.</summary>
    public static IReadOnlyList<string> StartOrder { get; } = [Registry, Stargz, Containerd];
}
