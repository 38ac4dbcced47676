using System.Security.Cryptography;
using Harness.Images;

namespace Harness.Tests.Conformance;

/// <summary>Reads every entry below a mount point without following symbolic links.</summary>
internal static class MountedTree
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        AttributesToSkip = 0,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Returns the entries below <paramref name="root"/> by path relative to it.
    /// </summary>
    public static SortedDictionary<string, MountedEntry> Read(string root)
    {
        var entries = new SortedDictionary<string, MountedEntry>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var directory))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", OneLevel))
            {
                var entry = ReadEntry(Path.GetRelativePath(root, path), path);
                entries[entry.Path] = entry;
                if (entry.Type == FileTreeEntryType.Directory)
                {
                    pending.Push(path);
                }
            }
        }

        return entries;
    }

    private static MountedEntry ReadEntry(string relativePath, string path)
    {
        var status = NativeFileStatus.Stat(path);
        var isFile = status.Type == FileTreeEntryType.RegularFile;
        var linkTarget =
            status.Type == FileTreeEntryType.SymbolicLink ? new FileInfo(path).LinkTarget : null;
        var hash = isFile ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : "";
        DateTimeOffset? modified = isFile ? File.GetLastWriteTimeUtc(path) : null;

        // Linux allows no user.* attributes on symbolic links. The overlay's own trusted.*
        // attributes and a security module's labels are not part of the image.
        var xattrs =
            status.Type == FileTreeEntryType.SymbolicLink
                ? new Dictionary<string, byte[]>()
                : NativeFileStatus
                    .ReadExtendedAttributes(path)
                    .Where(attribute =>
                        attribute.Key.StartsWith("user.", StringComparison.Ordinal)
                        || attribute.Key == "security.capability"
                    )
                    .ToDictionary(attribute => attribute.Key, attribute => attribute.Value);
        return new MountedEntry(
            relativePath,
            status.Type,
            status.Mode,
            status.UserId,
            status.GroupId,
            status.Size,
            status.Inode,
            status.LinkCount,
            status.DeviceMajor,
            status.DeviceMinor,
            linkTarget,
            hash,
            modified,
            xattrs
        );
    }
}
