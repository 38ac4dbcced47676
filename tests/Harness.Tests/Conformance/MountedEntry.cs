using Harness.Images;

namespace Harness.Tests.Conformance;

/// <summary>What lstat, readlink, read and getxattr return for one path of a mounted tree.
/// </summary>
/// <param name="Mode">Permission bits, setuid, setgid and sticky included.</param>
/// <param name="ContentHash">SHA-256 of a regular file's bytes in hex, or empty.</param>
/// <param name="ModificationTime">Modification time of a regular file, or null.</param>
/// <param name="Xattrs">The <c>user.*</c> and <c>security.capability</c> extended attributes.
/// </param>
internal sealed record MountedEntry(
    string Path,
    FileTreeEntryType Type,
    int Mode,
    int Uid,
    int Gid,
    long Size,
    ulong Inode,
    ulong LinkCount,
    int DeviceMajor,
    int DeviceMinor,
    string? LinkTarget,
    string ContentHash,
    DateTimeOffset? ModificationTime,
    IReadOnlyDictionary<string, byte[]> Xattrs
);
