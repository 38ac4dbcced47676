using System.Globalization;

namespace Harness.EStargz;

/// <summary>
/// Builds the TOC entries of the entries and chunks being written, field by field as the Go
/// library's <c>Writer.AppendTar</c> (0.12.0) fills them.
/// </summary>
internal sealed class MemberLayout
{
    private readonly int _chunkSize;
    private readonly Dictionary<long, string> _lastUserName = [];
    private readonly Dictionary<long, string> _lastGroupName = [];

    public MemberLayout(int chunkSize)
    {
        _chunkSize = chunkSize;
    }

    /// <summary>Creates the TOC entry of a tar entry; offsets and digests come later.</summary>
    public TocEntry CreateTocEntry(TarEntryHeader header)
    {
        var entry = new TocEntry
        {
            Name = header.Name,
            Mode = header.Mode,
            Uid = header.Uid,
            Gid = header.Gid,

            // A name is written only when it differs from the last one written for that id,
            // because readers carry it forward to later entries with the same id.
            UserName = NameIfChanged(_lastUserName, header.Uid, header.UserName),
            GroupName = NameIfChanged(_lastGroupName, header.Gid, header.GroupName),
            ModTime = FormatModTime(header.ModTimeSeconds, header.ModTimeNanoseconds),
            Xattrs = header.Xattrs is { Count: > 0 } ? header.Xattrs : null,
        };
        switch (header.TypeFlag)
        {
            case TarFormat.TypeHardLink:
                entry.Type = TocEntryType.HardLink;
                entry.LinkName = header.LinkName;
                break;
            case TarFormat.TypeSymlink:
                entry.Type = TocEntryType.Symlink;
                entry.LinkName = header.LinkName;
                break;
            case TarFormat.TypeDirectory:
                entry.Type = TocEntryType.Directory;
                break;
            case TarFormat.TypeCharacterDevice:
                entry.Type = TocEntryType.CharacterDevice;
                entry.DevMajor = header.DevMajor;
                entry.DevMinor = header.DevMinor;
                break;
            case TarFormat.TypeBlockDevice:
                entry.Type = TocEntryType.BlockDevice;
                entry.DevMajor = header.DevMajor;
                entry.DevMinor = header.DevMinor;
                break;
            case TarFormat.TypeFifo:
                entry.Type = TocEntryType.Fifo;
                break;
            default:
                entry.Type = TocEntryType.Regular;
                entry.Size = header.Size;
                break;
        }

        return entry;
    }

    /// <summary>
    /// Returns the TOC entry for the chunk of <paramref name="chunkLength"/> bytes at
    /// <paramref name="chunkOffset"/>: the file's own entry for the first chunk, a new "chunk"
    /// entry after it. Chunk size is recorded when the chunk is a full one, and left zero
    /// ("to the end of the file") for a shorter last chunk, as estargz.md specifies.
    /// </summary>
    public TocEntry CreateChunkEntry(
        TocEntry fileEntry,
        TarEntryHeader header,
        long chunkOffset,
        int chunkLength
    )
    {
        var entry =
            chunkOffset == 0
                ? fileEntry
                : new TocEntry { Name = header.Name, Type = TocEntryType.Chunk };
        entry.ChunkOffset = chunkOffset;
        entry.ChunkSize = chunkLength == _chunkSize ? _chunkSize : 0;
        return entry;
    }

    /// <summary>
    /// Formats a modification time as the Go writer does: UTC RFC 3339 rounded to the second,
    /// null for the Unix epoch itself (which tar uses for "unknown").
    /// </summary>
    internal static string? FormatModTime(long seconds, int nanoseconds)
    {
        if (seconds == 0)
        {
            return null;
        }

        if (nanoseconds >= 500_000_000)
        {
            seconds++;
        }

        if (seconds < -62135596800 || seconds > 253402300799)
        {
            return null;
        }

        return DateTimeOffset
            .FromUnixTimeSeconds(seconds)
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static string? NameIfChanged(Dictionary<long, string> lastNames, long id, string name)
    {
        if (name.Length == 0 || (lastNames.TryGetValue(id, out var last) && last == name))
        {
            return null;
        }

        lastNames[id] = name;
        return name;
    }
}
