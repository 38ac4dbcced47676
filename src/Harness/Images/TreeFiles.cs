namespace Harness.Images;

/// <summary>
/// File operations on root filesystem trees that never follow symbolic links out of the tree
/// and never cross into mounted file systems.
/// </summary>
internal static class TreeFiles
{
    /// <summary>Deletes a file, link or folder with everything in it. A missing path is fine.
    /// </summary>
    public static void Delete(string path)
    {
        FileTreeEntryType type;
        try
        {
            type = NativeFileStatus.Stat(path).Type;
        }
        catch (IOException) when (!Path.Exists(path))
        {
            return;
        }

        if (type == FileTreeEntryType.Directory)
        {
            EnsureNotMountPoint(path);
            DeleteContents(path);
            Directory.Delete(path);
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>Deletes everything inside a folder, keeping the folder. A missing folder is
    /// fine.</summary>
    public static void DeleteContents(string folder, Func<string, bool>? keep = null)
    {
        if (
            !Directory.Exists(folder)
            || NativeFileStatus.Stat(folder).Type != FileTreeEntryType.Directory
        )
        {
            return;
        }

        foreach (var child in Directory.EnumerateFileSystemEntries(folder).ToList())
        {
            if (keep is null || !keep(Path.GetFileName(child)))
            {
                Delete(child);
            }
        }
    }

    /// <summary>Throws <see cref="IOException"/> when <paramref name="folder"/> is a mount
    /// point.</summary>
    public static void EnsureNotMountPoint(string folder)
    {
        // A folder on another device than its parent is a mount point, such as a /proc that
        // an interrupted chroot left mounted.
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder));
        if (
            parent is not null
            && NativeFileStatus.Stat(folder).Device != NativeFileStatus.Stat(parent).Device
        )
        {
            throw new IOException(
                $"{folder} is a mount point, so it was not deleted. Unmount it with "
                    + $"'umount {folder}' and run the command again."
            );
        }
    }

    /// <summary>Deletes a tree with <c>rm --one-file-system</c>, which refuses to descend into
    /// mounts left behind by an interrupted chroot.</summary>
    public static async Task DeleteWithinFileSystemAsync(
        string path,
        CancellationToken cancellationToken
    )
    {
        if (Path.Exists(path))
        {
            await Processes.ProcessRunner.RunAsync(
                "rm",
                ["-rf", "--one-file-system", "--", path],
                cancellationToken
            );
        }
    }

    /// <summary>Deletes a tree like <see cref="DeleteWithinFileSystemAsync"/> while another
    /// failure is being reported, so a failed cleanup cannot hide that failure.</summary>
    public static async Task TryDeleteWithinFileSystemAsync(string path)
    {
        try
        {
            await DeleteWithinFileSystemAsync(path, CancellationToken.None);
        }
        catch (HarnessException)
        {
            // The partial folder stays behind and is deleted before the next build of it.
        }
    }

    /// <summary>Copies a tree with every attribute (owners, modes, links, devices, extended
    /// attributes) using <c>cp -a</c>, sharing blocks where the file system allows it.</summary>
    public static Task CopyAsync(string source, string destination, CancellationToken token) =>
        Processes.ProcessRunner.RunAsync(
            "cp",
            ["-a", "--reflink=auto", "--", source, destination],
            token
        );
}
