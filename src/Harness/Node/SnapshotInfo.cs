namespace Harness.Node;

/// <summary>A snapshot as containerd reports it: key, snapshotter, kind and labels.</summary>
public sealed record SnapshotInfo(
    string Key,
    string Snapshotter,
    string Kind,
    IReadOnlyDictionary<string, string> Labels
)
{
    /// <summary>Label the stargz snapshotter puts on layers it mounted from the registry
    /// instead of unpacking (stargz-snapshotter 0.12, snapshot/snapshot.go).</summary>
    public const string RemoteLabel = "containerd.io/snapshot/remote";

    /// <summary>True when the snapshotter served this layer lazily from the registry.</summary>
    public bool IsRemote => Labels.ContainsKey(RemoteLabel);
}
