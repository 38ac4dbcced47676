using System.Text.Json;

namespace Harness.Node;

public sealed partial class LocalNode
{
    private const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
    private const string DockerListMediaType =
        "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>
    /// Proves how a pulled image's layers reached the node: counts its layers that are remote
    /// snapshots of the stargz snapshotter and its layer blobs present in the content store.
    /// A lazy pull leaves every layer remote and no blob; a full pull the opposite.
    /// </summary>
    public async Task<LazinessProof> ProveLazinessAsync(
        string reference,
        CancellationToken cancellationToken
    )
    {
        var digest = await Containerd.GetImageDigestAsync(reference, cancellationToken);
        var layers = await ReadLayerDigestsAsync(digest, cancellationToken);
        var content = await Containerd.ListContentAsync(cancellationToken);
        var stargzSnapshots = await Containerd.ListSnapshotsAsync(
            NodeLayout.StargzSnapshotter,
            cancellationToken
        );

        var remote = stargzSnapshots
            .Where(snapshot => snapshot.IsRemote)
            .Select(snapshot =>
                snapshot.Labels.GetValueOrDefault("containerd.io/snapshot/remote/stargz.digest")
            )
            .Where(layer => layer is not null && layers.Contains(layer))
            .Distinct()
            .Count();
        var downloaded = layers.Count(content.Contains);
        var snapshotter =
            stargzSnapshots.Count > 0
                ? NodeLayout.StargzSnapshotter
                : NodeLayout.OverlayfsSnapshotter;
        return new LazinessProof(layers.Count, remote, downloaded, snapshotter);
    }

    private async Task<IReadOnlyList<string>> ReadLayerDigestsAsync(
        string manifestDigest,
        CancellationToken cancellationToken
    )
    {
        var bytes = await Containerd.GetContentAsync(manifestDigest, cancellationToken);
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var mediaType = root.TryGetProperty("mediaType", out var type) ? type.GetString() : null;
        if (
            mediaType is IndexMediaType or DockerListMediaType
            || root.TryGetProperty("manifests", out _)
        )
        {
            var manifests = root.GetProperty("manifests").EnumerateArray().ToList();
            var chosen =
                manifests.Count == 1 ? manifests[0] : manifests.FirstOrDefault(IsLinuxAmd64);
            if (chosen.ValueKind != JsonValueKind.Object)
            {
                throw new HarnessException(
                    $"Image index {manifestDigest} has no linux/amd64 manifest."
                );
            }

            return await ReadLayerDigestsAsync(
                chosen.GetProperty("digest").GetString()!,
                cancellationToken
            );
        }

        return root.GetProperty("layers")
            .EnumerateArray()
            .Select(layer => layer.GetProperty("digest").GetString()!)
            .ToList();
    }

    private static bool IsLinuxAmd64(JsonElement entry) =>
        entry.TryGetProperty("platform", out var platform)
        && platform.TryGetProperty("os", out var os)
        && os.GetString() == "linux"
        && platform.TryGetProperty("architecture", out var architecture)
        && architecture.GetString() == "amd64";
}
