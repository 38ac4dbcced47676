namespace Harness.Images;

/// <summary>
/// Lists every object below a root folder with its metadata, never following symbolic links,
/// in the byte-wise order of the relative paths.
/// </summary>
public static class FileTreeScanner
{
    /// <summary>Scans everything below <paramref name="root"/>, without the root itself.</summary>
    public static IReadOnlyList<FileTreeEntry> Scan(
        string root,
        CancellationToken cancellationToken
    )
    {
        var rootPath = Path.GetFullPath(root);
        if (!Directory.Exists(rootPath))
        {
            throw new HarnessException($"Cannot scan {rootPath}: the folder does not exist.");
        }

        var entries = new List<FileTreeEntry>();
        var pending = new Stack<(string SourcePath, string RelativePath)>();
        pending.Push((rootPath, ""));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (folder, relativeFolder) = pending.Pop();
            foreach (var child in Directory.EnumerateFileSystemEntries(folder))
            {
                var name = Path.GetFileName(child);
                var relativePath = relativeFolder.Length == 0 ? name : $"{relativeFolder}/{name}";
                var entry = Read(child, relativePath);
                entries.Add(entry);
                if (entry.Type == FileTreeEntryType.Directory)
                {
                    pending.Push((child, relativePath));
                }
            }
        }

        entries.Sort((left, right) => string.CompareOrdinal(left.Path, right.Path));
        return entries;
    }

    /// <summary>Reads the metadata of one object, named <paramref name="relativePath"/> in its
    /// tree.</summary>
    public static FileTreeEntry Read(string sourcePath, string relativePath)
    {
        var status = NativeFileStatus.Stat(sourcePath);
        return new FileTreeEntry
        {
            Path = relativePath,
            SourcePath = sourcePath,
            Type = status.Type,
            Mode = status.Mode,
            UserId = status.UserId,
            GroupId = status.GroupId,
            Size = status.Type == FileTreeEntryType.RegularFile ? status.Size : 0,
            LinkTarget =
                status.Type == FileTreeEntryType.SymbolicLink
                    ? new FileInfo(sourcePath).LinkTarget
                    : null,
            DeviceMajor = status.DeviceMajor,
            DeviceMinor = status.DeviceMinor,
            FileId = (status.Device, status.Inode),
            LinkCount = status.LinkCount,
            ExtendedAttributes = NativeFileStatus.ReadExtendedAttributes(sourcePath),
        };
    }
}
