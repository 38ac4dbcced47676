using System.Buffers;
using System.Globalization;
using System.Text;

namespace Harness.Images;

/// <summary>
/// Writes layer entries as a reproducible tar stream: entries in byte-wise name order, one
/// fixed modification time, numeric owners without user or group names, and a PAX extended
/// header only for entries that ustar cannot describe. Field offsets and sizes follow the
/// ustar header of POSIX.1-2001 (pax, "ustar Interchange Format").
/// </summary>
public static class TarLayerWriter
{
    /// <summary>Modification time of every entry: 2024-01-01T00:00:00Z, in the spirit of
    /// SOURCE_DATE_EPOCH, so that a rebuild from the same files gives the same bytes.</summary>
    public static readonly DateTimeOffset EntryTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int BlockSize = 512;

    // ustar header fields: offset and length in bytes.
    private const int NameOffset = 0,
        NameLength = 100;
    private const int ModeOffset = 100,
        ModeLength = 8;
    private const int UserIdOffset = 108,
        UserIdLength = 8;
    private const int GroupIdOffset = 116,
        GroupIdLength = 8;
    private const int SizeOffset = 124,
        SizeLength = 12;
    private const int TimeOffset = 136,
        TimeLength = 12;
    private const int ChecksumOffset = 148,
        ChecksumLength = 8;
    private const int TypeFlagOffset = 156;
    private const int LinkNameOffset = 157,
        LinkNameLength = 100;
    private const int MagicOffset = 257;
    private const int VersionOffset = 263;
    private const int DeviceMajorOffset = 329,
        DeviceMajorLength = 8;
    private const int DeviceMinorOffset = 337,
        DeviceMinorLength = 8;
    private const int PrefixOffset = 345,
        PrefixLength = 155;

    // Largest values that fit the octal fields (digits = field length - 1 for the NUL).
    private const long MaxOctal7 = (1L << 21) - 1;
    private const long MaxOctal11 = (1L << 33) - 1;

    private const byte TypeRegular = (byte)'0';
    private const byte TypeHardLink = (byte)'1';
    private const byte TypeSymbolicLink = (byte)'2';
    private const byte TypeCharacterDevice = (byte)'3';
    private const byte TypeBlockDevice = (byte)'4';
    private const byte TypeDirectory = (byte)'5';
    private const byte TypeFifo = (byte)'6';
    private const byte TypePaxHeader = (byte)'x';

    private const int WhiteoutMode = 0b110_100_100;

    /// <summary>Writes <paramref name="entries"/> to <paramref name="output"/> as a complete tar
    /// stream, ending with the two zero blocks of the end-of-archive marker.</summary>
    public static async Task WriteAsync(
        IEnumerable<LayerEntry> entries,
        Stream output,
        CancellationToken cancellationToken
    )
    {
        var sorted = entries.OrderBy(entry => entry.Name, StringComparer.Ordinal).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Name == sorted[i - 1].Name)
            {
                throw new InvalidOperationException(
                    $"The layer contains the entry {sorted[i].Name} twice."
                );
            }
        }

        // The first entry of a hard-linked file carries its content, later ones point at it.
        var firstNames = new Dictionary<(ulong, ulong), string>();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            foreach (var entry in sorted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WriteEntryAsync(entry, firstNames, output, buffer, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await output.WriteAsync(new byte[BlockSize * 2], cancellationToken);
    }

    private static async Task WriteEntryAsync(
        LayerEntry entry,
        Dictionary<(ulong, ulong), string> firstNames,
        Stream output,
        byte[] buffer,
        CancellationToken cancellationToken
    )
    {
        var header = new EntryHeader { Name = entry.Name, Mode = WhiteoutMode };
        var source = entry.Source;
        if (source is not null)
        {
            header = HeaderOf(source, firstNames);
        }

        var pax = PaxRecordsFor(header, source);
        if (pax.Count > 0)
        {
            await WritePaxHeaderAsync(header.Name, pax, output, cancellationToken);
        }

        await output.WriteAsync(FormatHeader(header), cancellationToken);
        if (header.TypeFlag == TypeRegular && header.Size > 0)
        {
            await CopyContentAsync(source!, output, buffer, cancellationToken);
        }
    }

    private static EntryHeader HeaderOf(
        FileTreeEntry source,
        Dictionary<(ulong, ulong), string> firstNames
    )
    {
        var header = new EntryHeader
        {
            Name = source.Type == FileTreeEntryType.Directory ? source.Path + "/" : source.Path,
            Mode = source.Mode,
            UserId = source.UserId,
            GroupId = source.GroupId,
        };
        switch (source.Type)
        {
            case FileTreeEntryType.RegularFile:
                if (source.LinkCount > 1 && firstNames.TryGetValue(source.FileId, out var first))
                {
                    header.TypeFlag = TypeHardLink;
                    header.LinkName = first;
                    break;
                }

                if (source.LinkCount > 1)
                {
                    firstNames[source.FileId] = source.Path;
                }

                header.TypeFlag = TypeRegular;
                header.Size = source.Size;
                break;
            case FileTreeEntryType.Directory:
                header.TypeFlag = TypeDirectory;
                break;
            case FileTreeEntryType.SymbolicLink:
                header.TypeFlag = TypeSymbolicLink;
                header.LinkName = source.LinkTarget ?? "";
                break;
            case FileTreeEntryType.CharacterDevice:
            case FileTreeEntryType.BlockDevice:
                header.TypeFlag =
                    source.Type == FileTreeEntryType.CharacterDevice
                        ? TypeCharacterDevice
                        : TypeBlockDevice;
                header.DeviceMajor = source.DeviceMajor;
                header.DeviceMinor = source.DeviceMinor;
                break;
            case FileTreeEntryType.Fifo:
                header.TypeFlag = TypeFifo;
                break;
            default:
                // Sockets exist only while a program listens on them, and tar has no type for them.
                throw new InvalidOperationException(
                    $"Cannot store {source.SourcePath} in a layer: tar has no entry type for "
                        + $"{source.Type}. Remove it from the tree before building the layer."
                );
        }

        return header;
    }

    private static SortedDictionary<string, byte[]> PaxRecordsFor(
        EntryHeader header,
        FileTreeEntry? source
    )
    {
        var records = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!TrySplitName(header.Name, out _, out _))
        {
            records["path"] = Encoding.UTF8.GetBytes(header.Name);
        }

        if (!IsAscii(header.LinkName) || header.LinkName.Length > LinkNameLength)
        {
            records["linkpath"] = Encoding.UTF8.GetBytes(header.LinkName);
        }

        if (header.Size > MaxOctal11)
        {
            records["size"] = DecimalBytes(header.Size);
        }

        if (header.UserId > MaxOctal7)
        {
            records["uid"] = DecimalBytes(header.UserId);
        }

        if (header.GroupId > MaxOctal7)
        {
            records["gid"] = DecimalBytes(header.GroupId);
        }

        // Hard links share the inode, so their attributes travel with the first entry only.
        if (source is not null && header.TypeFlag != TypeHardLink)
        {
            foreach (var (name, value) in source.ExtendedAttributes)
            {
                records["SCHILY.xattr." + name] = value;
            }
        }

        return records;
    }

    private static async Task WritePaxHeaderAsync(
        string entryName,
        SortedDictionary<string, byte[]> records,
        Stream output,
        CancellationToken cancellationToken
    )
    {
        // Each record is "LENGTH KEY=VALUE\n", where LENGTH counts the whole record in bytes
        // including its own digits (pax, "pax Extended Header").
        using var payload = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var bodyLength = 1 + Encoding.UTF8.GetByteCount(key) + 1 + value.Length + 1;
            var length = bodyLength + 1;
            while (length != bodyLength + Digits(length))
            {
                length = bodyLength + Digits(length);
            }

            payload.Write(Encoding.ASCII.GetBytes($"{length} {key}="));
            payload.Write(value);
            payload.WriteByte((byte)'\n');
        }

        var baseName = entryName.TrimEnd('/');
        baseName = baseName[(baseName.LastIndexOf('/') + 1)..];
        var headerName = "PaxHeaders/" + AsciiPrefix(baseName, NameLength - "PaxHeaders/".Length);
        var header = new EntryHeader
        {
            Name = headerName,
            Mode = WhiteoutMode,
            Size = payload.Length,
            TypeFlag = TypePaxHeader,
        };
        await output.WriteAsync(FormatHeader(header), cancellationToken);
        await output.WriteAsync(
            payload.GetBuffer().AsMemory(0, (int)payload.Length),
            cancellationToken
        );
        await WritePaddingAsync(payload.Length, output, cancellationToken);
    }

    private static async Task CopyContentAsync(
        FileTreeEntry source,
        Stream output,
        byte[] buffer,
        CancellationToken cancellationToken
    )
    {
        long copied = 0;
        await using (
            var input = new FileStream(
                source.SourcePath,
                new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Options = FileOptions.SequentialScan,
                    BufferSize = 0,
                }
            )
        )
        {
            while (copied < source.Size)
            {
                var wanted = (int)Math.Min(buffer.Length, source.Size - copied);
                var read = await input.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
            }

            if (copied != source.Size || input.Length != source.Size)
            {
                throw new IOException(
                    $"{source.SourcePath} changed while it was written to a layer: expected "
                        + $"{source.Size} bytes, found {input.Length}. Nothing may modify the tree "
                        + "during a build."
                );
            }
        }

        await WritePaddingAsync(copied, output, cancellationToken);
    }

    private static byte[] FormatHeader(EntryHeader header)
    {
        var block = new byte[BlockSize];
        if (!TrySplitName(header.Name, out var prefix, out var name))
        {
            // The full name goes into a PAX "path" record, and the header keeps a readable part.
            prefix = "";
            name = AsciiPrefix(header.Name, NameLength);
        }

        WriteText(block, NameOffset, NameLength, name);
        WriteOctal(block, ModeOffset, ModeLength, header.Mode);
        WriteOctal(block, UserIdOffset, UserIdLength, Math.Min(header.UserId, MaxOctal7));
        WriteOctal(block, GroupIdOffset, GroupIdLength, Math.Min(header.GroupId, MaxOctal7));
        WriteOctal(block, SizeOffset, SizeLength, header.Size > MaxOctal11 ? 0 : header.Size);
        WriteOctal(block, TimeOffset, TimeLength, EntryTime.ToUnixTimeSeconds());
        block[TypeFlagOffset] = header.TypeFlag;
        WriteText(
            block,
            LinkNameOffset,
            LinkNameLength,
            IsAscii(header.LinkName) ? header.LinkName : ""
        );
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(block, MagicOffset);
        Encoding.ASCII.GetBytes("00").CopyTo(block, VersionOffset);
        WriteOctal(block, DeviceMajorOffset, DeviceMajorLength, header.DeviceMajor);
        WriteOctal(block, DeviceMinorOffset, DeviceMinorLength, header.DeviceMinor);
        WriteText(block, PrefixOffset, PrefixLength, prefix);

        // The checksum is the sum of all header bytes with the checksum field taken as spaces,
        // stored as six octal digits, a NUL and a space.
        Array.Fill(block, (byte)' ', ChecksumOffset, ChecksumLength);
        var checksum = block.Sum(value => (int)value);
        var text = Convert.ToString(checksum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(block, ChecksumOffset);
        block[ChecksumOffset + 6] = 0;
        block[ChecksumOffset + 7] = (byte)' ';
        return block;
    }

    /// <summary>Splits a name into the ustar prefix and name fields at a '/', if it fits.
    /// </summary>
    private static bool TrySplitName(string fullName, out string prefix, out string name)
    {
        prefix = "";
        name = fullName;
        if (!IsAscii(fullName))
        {
            return false;
        }

        if (fullName.Length <= NameLength)
        {
            return true;
        }

        // A directory's trailing '/' belongs to the name part, so search before it.
        for (
            var slash = fullName.LastIndexOf('/', fullName.Length - 2);
            slash > 0;
            slash = fullName.LastIndexOf('/', slash - 1)
        )
        {
            if (slash <= PrefixLength && fullName.Length - slash - 1 <= NameLength)
            {
                prefix = fullName[..slash];
                name = fullName[(slash + 1)..];
                return true;
            }
        }

        return false;
    }

    private static void WriteOctal(byte[] block, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(block, offset);
        block[offset + length - 1] = 0;
    }

    private static void WriteText(byte[] block, int offset, int length, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.AsSpan(0, Math.Min(bytes.Length, length)).CopyTo(block.AsSpan(offset, length));
    }

    private static async Task WritePaddingAsync(
        long length,
        Stream output,
        CancellationToken cancellationToken
    )
    {
        var remainder = (int)(length % BlockSize);
        if (remainder != 0)
        {
            await output.WriteAsync(new byte[BlockSize - remainder], cancellationToken);
        }
    }

    private static bool IsAscii(string text) => Ascii.IsValid(text) && !text.Contains('\0');

    private static string AsciiPrefix(string text, int maxLength)
    {
        var ascii = new string(text.Select(c => c is > '\0' and < (char)0x80 ? c : '_').ToArray());
        return ascii.Length <= maxLength ? ascii : ascii[..maxLength];
    }

    private static byte[] DecimalBytes(long value) =>
        Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>Header fields of one tar entry before formatting.</summary>
    private sealed class EntryHeader
    {
        public required string Name { get; init; }
        public int Mode { get; init; }
        public int UserId { get; init; }
        public int GroupId { get; init; }
        public long Size { get; set; }
        public byte TypeFlag { get; set; } = TypeRegular;
        public string LinkName { get; set; } = "";
        public int DeviceMajor { get; set; }
        public int DeviceMinor { get; set; }
    }
}
