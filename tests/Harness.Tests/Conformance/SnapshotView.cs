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
        LocalNode node, string snapshotter, string chainId, string key,
        CancellationToken cancellationToken)
    {
        var mountPoint = Path.Combine(node.Layout.RunRoot, key);
        Directory.CreateDirectory(mountPoint);
        var view = new SnapshotView(node, snapshotter, key, mountPoint);
        try
        {
            await node.Containerd.CtrAsync(
                ["snapshots", "--snapshotter", snapshotter, "view", key, chainId],
                cancellationToken);

            // ctr prints one "mount -t TYPE SOURCE TARGET -o OPTIONS" line per mount.
            var commands = await node.Containerd.CtrAsync(
                ["snapshots", "--snapshotter", snapshotter, "mounts", mountPoint, key],
                cancellationToken);
            foreach (var line in commands.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2 || words[0] != "mount")
                {
                    throw new InvalidOperationException(
                        $"ctr snapshots mounts printed '{line}', expected a mount command.");
                }

                await ProcessRunner.RunAsync("mount", words[1..], cancellationToken);
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
            ["snapshots", "--snapshotter", snapshotter, "rm", key], CancellationToken.None);
        Directory.Delete(MountPoint);
    }
}
