namespace Harness.Node;

/// <summary>
/// Evidence of how an image's layers reached the node: as remote snapshots mounted lazily by
/// the stargz snapshotter, or as blobs downloaded into the content store and unpacked.
/// </summary>
public sealed record LazinessProof(
    int LayerCount,
    int RemoteSnapshots,
    int LayerBlobsDownloaded,
    string Snapshotter
)
{
    /// <summary>True when every layer was a remote snapshot and no layer blob was downloaded,
    /// false when no layer was remote and every blob was downloaded, null for anything mixed.
    /// </summary>
    public bool? IsLazy =>
        RemoteSnapshots == LayerCount && LayerBlobsDownloaded == 0 ? true
        : RemoteSnapshots == 0 && LayerBlobsDownloaded == LayerCount ? false
        : null;

    public override string ToString() =>
        $"{RemoteSnapshots}/{LayerCount} layers remote, {LayerBlobsDownloaded} layer blobs "
        + $"downloaded, snapshotter {Snapshotter}";
}
