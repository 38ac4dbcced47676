namespace Harness.EStargz;

/// <summary>
/// The metadata of one tar entry after PAX and GNU extension headers are applied, and where its
/// data lies in the archive.
/// </summary>
internal sealed record TarEntryHeader
{
    /// <summary>Path as stored (PAX <c>path</c>, GNU long name, or ustar prefix and
    /// name).</summary>
    public required string Name { get; init; }

    /// <summary>One of the POSIX type flags '0' to '6'; a V7 '\0' is reported as
    /// '0' or '5'.</summary>
    public required byte TypeFlag { get; init; }

    public string LinkName { get; init; } = "";

    /// <summary>The header's mode field as written, which may include file type bits.</summary>
    public long Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    public string UserName { get; init; } = "";

    public string GroupName { get; init; } = "";

    /// <summary>Modification time in whole seconds since the Unix epoch.</summary>
    public long ModTimeSeconds { get; init; }

    /// <summary>Sub-second part of the modification time, from a PAX <c>mtime</c> record.</summary>
    public int ModTimeNanoseconds { get; init; }

    /// <summary>Number of data bytes that follow the header: zero for all but regular
    /// files.</summary>
    public long Size { get; init; }

    public long DevMajor { get; init; }

    public long DevMinor { get; init; }

    /// <summary>Extended attributes from PAX <c>SCHILY.xattr.*</c> records, values as raw
    /// bytes.</summary>
    public SortedDictionary<string, byte[]>? Xattrs { get; init; }

    /// <summary>Archive offset of the entry's first header block, extension headers
    /// included.</summary>
    public long HeaderOffset { get; init; }

    /// <summary>Archive offset of the first data byte.</summary>
    public long DataOffset { get; init; }
}
