using System.Text.Json;
using Harness.Node;
using Harness.Processes;

namespace Harness.Tests.Conformance;

/// <summary>
/// A read-only view of a committed snapshot chain, mounted on a folder of the node's run root
/// with the mounts its snapshotter returns: the root file system a container of the image
/// would see, without starting one.
/// </summary>
internal sealed class SnapshotView : IAsyncDisposable
{
    private readonly LocalNode node;
    private readonly string snapshotter;
    private readonly string key;
    private bool mounted;

    private SnapshotView(LocalNode node, string snapshotter, string key, string mountPoint)
    {
        this.node = node;
        this.snapshotter = snapshotter;
        this.key = key;
        MountPoint = mountPoint;
    }

    public string MountPoint { get; }

    /// <summary>Creates the view of <paramref name="chainId"/> and mounts it.</summary>
    public static async Task<SnapshotView> MountAsync(
        LocalNode node,
        string snapshotter,
        string chainId,
        string key,
        CancellationToken cancellationToken
    )
    {
        var mountPoint = Path.Combine(node.Layout.RunRoot, key);
        Directory.CreateDirectory(mountPoint);
        var view = new SnapshotView(node, snapshotter, key, mountPoint);
        try
        {
            // The mounts come with the view in one call: nothing references a view made by
            // ctr, so containerd's garbage collector may remove it at any moment. The mount
            // stays usable, because a view of several layers mounts only its parents' folders.
            var output = await node.Containerd.CtrAsync(
                ["snapshots", "--snapshotter", snapshotter, "view", "--mounts", key, chainId],
                cancellationToken
            );
            using var mounts = JsonDocument.Parse(output);
            foreach (var mount in mounts.RootElement.EnumerateArray())
            {
                var options = mount
                    .GetProperty("Options")
                    .EnumerateArray()
                    .Select(option => option.GetString()!);
                await ProcessRunner.RunAsync(
                    "mount",
                    [
                        "-t",
                        mount.GetProperty("Type").GetString()!,
                        "-o",
                        string.Join(',', options),
                        mount.GetProperty("Source").GetString()!,
                        mountPoint,
                    ],
                    cancellationToken
                );
                view.mounted = true;
            }

            return view;
        }
        catch
        {
            await view.DisposeAsync();
            throw;
        }
    }

    /// <summary>Unmounts the view and removes its snapshot and mount point.</summary>
    public async ValueTask DisposeAsync()
    {
        if (mounted)
        {
            await ProcessRunner.RunAsync("umount", [MountPoint], CancellationToken.None);
            mounted = false;
        }

        await node.Containerd.TryCtrAsync(
            ["snapshots", "--snapshotter", snapshotter, "rm", key],
            CancellationToken.None
        );
        Directory.Delete(MountPoint);
    }
}
