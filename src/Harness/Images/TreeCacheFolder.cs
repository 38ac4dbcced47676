namespace Harness.Images;

/// <summary>
/// A cache folder of root-shaped trees, one subfolder per key. Each tree is built under a lock
/// into a staging folder and renamed into place, so an interrupted build never looks complete
/// and two harness processes never build the same tree at once.
/// </summary>
internal sealed class TreeCacheFolder
{
    private const string CompleteMarker = "complete";

    private readonly string _folder;
    private readonly IProgress<string>? _progress;

    /// <summary>Creates a cache of trees kept in <paramref name="folder"/>.</summary>
    /// <param name="folder">Folder that holds one subfolder per key.</param>
    /// <param name="progress">Receives the message that another process holds the lock.
    /// </param>
    public TreeCacheFolder(string folder, IProgress<string>? progress)
    {
        _folder = folder;
        _progress = progress;
    }

    /// <summary>Returns the <c>rootfs</c> folder of the tree cached under
    /// <paramref name="key"/>, calling <paramref name="build"/> with the folder to fill when
    /// the tree is not cached yet.</summary>
    public async Task<string> GetOrBuildAsync(
        string key,
        Func<string, CancellationToken, Task> build,
        CancellationToken cancellationToken
    )
    {
        var folder = Path.Combine(_folder, key);
        var root = Path.Combine(folder, "rootfs");
        if (File.Exists(Path.Combine(folder, CompleteMarker)))
        {
            return root;
        }

        Directory.CreateDirectory(_folder);
        await using var buildLock = await CacheLock.AcquireAsync(
            Path.Combine(_folder, key + ".lock"),
            _progress,
            cancellationToken
        );

        // Another process may have finished the tree while this one waited for the lock.
        if (File.Exists(Path.Combine(folder, CompleteMarker)))
        {
            return root;
        }

        var staging = Path.Combine(_folder, $"{key}.partial-{Environment.ProcessId}");
        await TreeFiles.DeleteWithinFileSystemAsync(staging, cancellationToken);
        await TreeFiles.DeleteWithinFileSystemAsync(folder, cancellationToken);
        Directory.CreateDirectory(staging);
        try
        {
            await build(Path.Combine(staging, "rootfs"), cancellationToken);
            await File.WriteAllTextAsync(
                Path.Combine(staging, CompleteMarker),
                key + "\n",
                cancellationToken
            );
            Directory.Move(staging, folder);
        }
        catch
        {
            await TreeFiles.TryDeleteWithinFileSystemAsync(staging);
            throw;
        }

        return root;
    }
}
