namespace Harness.Images;

/// <summary>
/// One file system object of a root filesystem on disk, with the metadata a layer tar records.
/// </summary>
public sealed record FileTreeEntry
{
    /// <summary>Path relative to the tree's root, '/'-separated, without a leading or
    /// trailing '/'.</summary>
    public required string Path { get; init; }

    /// <summary>Absolute path of the object on this machine.</summary>
    public required string SourcePath { get; init; }

    public required FileTreeEntryType Type { get; init; }

    /// <summary>Permission bits including set-user-ID, set-group-ID and sticky (mask 07777).
    /// </summary>
    public required int Mode { get; init; }

    public required int UserId { get; init; }

    public required int GroupId { get; init; }

    /// <summary>Content length in bytes for regular files, and 0 for everything else.</summary>
    public required long Size { get; init; }

    /// <summary>Target text of a symbolic link, as stored in the link.</summary>
    public string? LinkTarget { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    /// <summary>Device and inode numbers that identify hard links to the same file.</summary>
    public (ulong Device, ulong Inode) FileId { get; init; }

    public ulong LinkCount { get; init; }

    /// <summary>Extended attributes by name (such as <c>security.capability</c>), sorted.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> ExtendedAttributes { get; init; } =
        new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
}
