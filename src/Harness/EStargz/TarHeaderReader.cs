using System.Text;

namespace Harness.EStargz;

/// <summary>
/// Reads the headers of a tar archive one entry at a time, applying PAX ('x') and GNU long
/// name ('L', 'K') extension headers, and skips the data it is not asked for. Unlike
/// System.Formats.Tar it keeps PAX values as raw bytes, which binary extended attributes such
/// as <c>security.capability</c> need, and keeps the mode field's file type bits.
/// </summary>
internal sealed class TarHeaderReader
{
    private readonly Stream _stream;
    private readonly string _sourceName;
    private readonly byte[] _block = new byte[TarFormat.BlockSize];
    private readonly long _startOffset;
    private long _position;
    private long _pendingSkip;
    private bool _ended;

    public TarHeaderReader(Stream stream, string sourceName, long startOffset = 0)
    {
        _stream = stream;
        _sourceName = sourceName;
        _position = startOffset;
        _startOffset = startOffset;
    }

    /// <summary>Reads the next entry's header, or returns null at the end of the archive.</summary>
    public TarEntryHeader? ReadNext()
    {
        if (_ended)
        {
            return null;
        }

        SkipPending();

        Dictionary<string, byte[]>? pax = null;
        string? longName = null;
        string? longLink = null;
        long? firstHeaderOffset = null;
        while (true)
        {
            var headerOffset = _position;
            var read = ReadFully(_block);
            if (read == 0 || (read < TarFormat.BlockSize && IsAllZero(_block.AsSpan(0, read))))
            {
                // Some producers omit the two zero blocks that end an archive; Go's
                // archive/tar accepts that too.
                return End(firstHeaderOffset);
            }

            if (read < TarFormat.BlockSize && headerOffset == _startOffset)
            {
                throw new InvalidDataException(
                    $"{_sourceName} is not a tar archive: expected a {TarFormat.BlockSize}-byte "
                        + $"tar header at the start, found only {read} bytes."
                );
            }

            if (read < TarFormat.BlockSize)
            {
                throw new InvalidDataException(
                    $"{_sourceName}: the tar header at offset {headerOffset} is truncated: "
                        + $"expected {TarFormat.BlockSize} bytes, found {read}."
                );
            }

            if (IsAllZero(_block))
            {
                return End(firstHeaderOffset);
            }

            VerifyChecksum(headerOffset);
            firstHeaderOffset ??= headerOffset;
            var typeFlag = _block[TarFormat.TypeFlagOffset];
            var size = ParseNumber(
                TarFormat.SizeOffset,
                TarFormat.SizeLength,
                "size",
                headerOffset
            );
            switch (typeFlag)
            {
                case TarFormat.TypePaxExtended:
                    pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    ParsePaxRecords(ReadExtension(size, headerOffset), pax, headerOffset);
                    continue;
                case TarFormat.TypePaxGlobal:
                    // NOTE: global PAX records (as written by `git archive`) are skipped, not
                    // applied. Go's estargz.Build rejects such archives outright.
                    ReadExtension(size, headerOffset);
                    firstHeaderOffset = null;
                    continue;
                case TarFormat.TypeGnuLongName:
                    longName = DecodeCString(ReadExtension(size, headerOffset));
                    continue;
                case TarFormat.TypeGnuLongLink:
                    longLink = DecodeCString(ReadExtension(size, headerOffset));
                    continue;
            }

            var header = BuildHeader(
                typeFlag,
                size,
                pax,
                longName,
                longLink,
                firstHeaderOffset.Value,
                headerOffset
            );
            _pendingSkip = header.Size + TarFormat.PaddingAfter(header.Size);
            return header;
        }
    }

    private TarEntryHeader? End(long? pendingHeaderOffset)
    {
        if (pendingHeaderOffset is { } offset)
        {
            throw new InvalidDataException(
                $"{_sourceName}: the extension header at offset {offset} is not followed by "
                    + "the entry it describes; expected another tar header, found the end of the "
                    + "archive."
            );
        }

        _ended = true;
        return null;
    }

    private TarEntryHeader BuildHeader(
        byte typeFlag,
        long size,
        Dictionary<string, byte[]>? pax,
        string? longName,
        string? longLink,
        long firstHeaderOffset,
        long headerOffset
    )
    {
        var block = _block.AsSpan();
        var isUstar = block
            .Slice(TarFormat.MagicOffset, TarFormat.MagicLength)
            .SequenceEqual("ustar\0"u8);
        var isGnu = block.Slice(TarFormat.MagicOffset, 8).SequenceEqual("ustar  \0"u8);

        var name = DecodeField(TarFormat.NameOffset, TarFormat.NameLength);
        if (isUstar)
        {
            var prefix = DecodeField(TarFormat.PrefixOffset, TarFormat.PrefixLength);
            if (prefix.Length > 0)
            {
                name = prefix + "/" + name;
            }
        }

        name = longName ?? name;
        var linkName = longLink ?? DecodeField(TarFormat.LinkNameOffset, TarFormat.LinkNameLength);
        var mode = ParseNumber(TarFormat.ModeOffset, TarFormat.ModeLength, "mode", headerOffset);
        var uid = ParseNumber(TarFormat.UidOffset, TarFormat.UidLength, "uid", headerOffset);
        var gid = ParseNumber(TarFormat.GidOffset, TarFormat.GidLength, "gid", headerOffset);
        var modTime = ParseNumber(
            TarFormat.ModTimeOffset,
            TarFormat.ModTimeLength,
            "mtime",
            headerOffset
        );
        var modTimeNanoseconds = 0;
        string userName = "",
            groupName = "";
        long devMajor = 0,
            devMinor = 0;
        if (isUstar || isGnu)
        {
            userName = DecodeField(TarFormat.UserNameOffset, TarFormat.UserNameLength);
            groupName = DecodeField(TarFormat.GroupNameOffset, TarFormat.GroupNameLength);
            devMajor = ParseNumber(
                TarFormat.DevMajorOffset,
                TarFormat.DevMajorLength,
                "devmajor",
                headerOffset
            );
            devMinor = ParseNumber(
                TarFormat.DevMinorOffset,
                TarFormat.DevMinorLength,
                "devminor",
                headerOffset
            );
        }

        SortedDictionary<string, byte[]>? xattrs = null;
        if (pax is not null)
        {
            foreach (var (key, value) in pax)
            {
                switch (key)
                {
                    case "path":
                        name = Encoding.UTF8.GetString(value);
                        break;
                    case "linkpath":
                        linkName = Encoding.UTF8.GetString(value);
                        break;
                    case "uname":
                        userName = Encoding.UTF8.GetString(value);
                        break;
                    case "gname":
                        groupName = Encoding.UTF8.GetString(value);
                        break;
                    case "size":
                        size = ParsePaxInteger(key, value, headerOffset);
                        break;
                    case "uid":
                        uid = ParsePaxInteger(key, value, headerOffset);
                        break;
                    case "gid":
                        gid = ParsePaxInteger(key, value, headerOffset);
                        break;
                    case "mtime":
                        (modTime, modTimeNanoseconds) = ParsePaxTime(value, headerOffset);
                        break;
                    default:
                        if (key.StartsWith(TarFormat.XattrPaxPrefix, StringComparison.Ordinal))
                        {
                            xattrs ??= new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
                            xattrs[key[TarFormat.XattrPaxPrefix.Length..]] = value;
                        }
                        else if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                        {
                            throw Unsupported(name, "a PAX GNU sparse file", headerOffset);
                        }

                        break;
                }
            }
        }

        typeFlag = NormaliseTypeFlag(typeFlag, name, headerOffset);

        // Only regular files carry data. The size field of other types is ignored, as POSIX
        // specifies for links and devices and as Go's archive/tar does.
        var dataSize = typeFlag == TarFormat.TypeRegular ? size : 0;
        if (dataSize < 0)
        {
            throw new InvalidDataException(
                $"{_sourceName}: the tar entry '{name}' at offset {headerOffset} has a "
                    + $"negative size {dataSize}."
            );
        }

        return new TarEntryHeader
        {
            Name = name,
            TypeFlag = typeFlag,
            LinkName = linkName,
            Mode = mode,
            Uid = uid,
            Gid = gid,
            UserName = userName,
            GroupName = groupName,
            ModTimeSeconds = modTime,
            ModTimeNanoseconds = modTimeNanoseconds,
            Size = dataSize,
            DevMajor = devMajor,
            DevMinor = devMinor,
            Xattrs = xattrs,
            HeaderOffset = firstHeaderOffset,
            DataOffset = _position,
        };
    }

    private byte NormaliseTypeFlag(byte typeFlag, string name, long headerOffset)
    {
        switch (typeFlag)
        {
            case TarFormat.TypeRegularV7:
                // V7 archives had no directory type; a trailing slash marked one.
                return name.EndsWith('/') ? TarFormat.TypeDirectory : TarFormat.TypeRegular;
            case TarFormat.TypeRegular:
            case TarFormat.TypeHardLink:
            case TarFormat.TypeSymlink:
            case TarFormat.TypeCharacterDevice:
            case TarFormat.TypeBlockDevice:
            case TarFormat.TypeDirectory:
            case TarFormat.TypeFifo:
                return typeFlag;
            default:
                throw Unsupported(
                    name,
                    $"type flag {TarFormat.DescribeTypeFlag(typeFlag)}",
                    headerOffset
                );
        }
    }

    private InvalidDataException Unsupported(string name, string what, long headerOffset) =>
        new(
            $"{_sourceName}: the tar entry '{name}' at offset {headerOffset} has {what}; "
                + "expected a regular file, directory, link, device or fifo (type flags '0' to "
                + "'6'). Re-create the layer without it."
        );

    private void VerifyChecksum(long headerOffset)
    {
        var block = _block.AsSpan();
        var field = block.Slice(TarFormat.ChecksumOffset, TarFormat.ChecksumLength);
        long unsignedSum = 0,
            signedSum = 0;
        for (var i = 0; i < TarFormat.BlockSize; i++)
        {
            var inField =
                i >= TarFormat.ChecksumOffset
                && i < TarFormat.ChecksumOffset + TarFormat.ChecksumLength;
            var value = inField ? (byte)' ' : block[i];
            unsignedSum += value;
            signedSum += (sbyte)value;
        }

        if (!TryParseOctal(field, out var stored) || (stored != unsignedSum && stored != signedSum))
        {
            var found = Encoding.ASCII.GetString(field).Replace("\0", "\\0");
            var where = headerOffset == 0 ? "at the start" : $"at offset {headerOffset}";
            throw new InvalidDataException(
                $"{_sourceName} is not a valid tar archive: the header block {where} has "
                    + $"checksum field \"{found}\", expected the octal sum of the header bytes "
                    + $"({Convert.ToString(unsignedSum, 8)}). Check that the input is a tar or a "
                    + "gzip-compressed tar."
            );
        }
    }

    private long ParseNumber(int offset, int length, string fieldName, long headerOffset)
    {
        var field = _block.AsSpan(offset, length);
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256: big-endian two's complement, the marker bit cleared (0xff marks a
            // negative number).
            long value = (field[0] & 0x40) != 0 ? -1 : 0;
            value = (value << 6) | (uint)(field[0] & 0x3f);
            foreach (var b in field[1..])
            {
                value = (value << 8) | b;
            }

            return value;
        }

        if (TryParseOctal(field, out var octal))
        {
            return octal;
        }

        throw new InvalidDataException(
            $"{_sourceName}: the tar header at offset {headerOffset} has an invalid {fieldName} "
                + $"field \"{Encoding.ASCII.GetString(field).Replace("\0", "\\0")}\"; "
                + "expected octal digits."
        );
    }

    private static bool TryParseOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        var i = 0;
        while (i < field.Length && (field[i] == ' ' || field[i] == 0))
        {
            i++;
        }

        for (; i < field.Length; i++)
        {
            var c = field[i];
            if (c == ' ' || c == 0)
            {
                break;
            }

            if (c < '0' || c > '7')
            {
                return false;
            }

            value = (value << 3) | (long)(c - '0');
        }

        return true;
    }

    private byte[] ReadExtension(long size, long headerOffset)
    {
        if (size < 0 || size > TarFormat.MaxExtensionHeaderSize)
        {
            throw new InvalidDataException(
                $"{_sourceName}: the extension header at offset {headerOffset} declares "
                    + $"{size} bytes; expected at most {TarFormat.MaxExtensionHeaderSize}."
            );
        }

        var content = new byte[size];
        if (ReadFully(content) != size)
        {
            throw Truncated(headerOffset);
        }

        _pendingSkip = TarFormat.PaddingAfter(size);
        SkipPending();
        return content;
    }

    private void ParsePaxRecords(byte[] content, Dictionary<string, byte[]> pax, long headerOffset)
    {
        // Each record is "<length> <key>=<value>\n", the length counting the whole record.
        var span = content.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            if (span[position] == 0)
            {
                break;
            }

            var space = span[position..].IndexOf((byte)' ');
            if (
                space <= 0
                || !int.TryParse(span.Slice(position, space), out var length)
                || length <= space + 1
                || position + length > span.Length
                || span[position + length - 1] != '\n'
            )
            {
                throw new InvalidDataException(
                    $"{_sourceName}: the PAX header at offset {headerOffset} has a malformed "
                        + $"record at byte {position}; expected \"<length> <key>=<value>\\n\"."
                );
            }

            var record = span.Slice(position + space + 1, length - space - 2);
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new InvalidDataException(
                    $"{_sourceName}: the PAX header at offset {headerOffset} has a record "
                        + $"without '=' at byte {position}."
                );
            }

            pax[Encoding.UTF8.GetString(record[..equals])] = record[(equals + 1)..].ToArray();
            position += length;
        }
    }

    private long ParsePaxInteger(string key, byte[] value, long headerOffset)
    {
        if (long.TryParse(value, out var result))
        {
            return result;
        }

        throw new InvalidDataException(
            $"{_sourceName}: the PAX record {key} at offset {headerOffset} is "
                + $"\"{Encoding.UTF8.GetString(value)}\"; expected a decimal integer."
        );
    }

    private (long Seconds, int Nanoseconds) ParsePaxTime(byte[] value, long headerOffset)
    {
        var text = Encoding.ASCII.GetString(value);
        var dot = text.IndexOf('.');
        var wholePart = dot < 0 ? text : text[..dot];
        if (!long.TryParse(wholePart, out var seconds))
        {
            throw new InvalidDataException(
                $"{_sourceName}: the PAX record mtime at offset {headerOffset} is \"{text}\"; "
                    + "expected decimal seconds such as 1700000000.5."
            );
        }

        var nanoseconds = 0;
        if (dot >= 0)
        {
            var fraction = text[(dot + 1)..].PadRight(9, '0')[..9];
            if (!int.TryParse(fraction, out nanoseconds))
            {
                nanoseconds = 0;
            }

            if (text.StartsWith('-') && nanoseconds > 0)
            {
                seconds--;
                nanoseconds = 1_000_000_000 - nanoseconds;
            }
        }

        return (seconds, nanoseconds);
    }

    private string DecodeField(int offset, int length) =>
        DecodeCString(_block.AsSpan(offset, length));

    // NOTE: names are decoded as UTF-8, so a name with bytes that are not UTF-8 has them
    // replaced by U+FFFD in the TOC and in the rewritten tar header. Go keeps the raw bytes in
    // the tar and writes U+FFFD only in the TOC JSON.
    private static string DecodeCString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);

    private InvalidDataException Truncated(long headerOffset) =>
        new(
            $"{_sourceName}: the tar archive ends inside the entry at offset {headerOffset}; "
                + "expected its data to follow. The file is truncated."
        );

    private void SkipPending()
    {
        if (_pendingSkip == 0)
        {
            return;
        }

        if (_stream.CanSeek)
        {
            _stream.Seek(_pendingSkip, SeekOrigin.Current);
            _position += _pendingSkip;
        }
        else
        {
            Span<byte> discard = stackalloc byte[4096];
            var remaining = _pendingSkip;
            while (remaining > 0)
            {
                var read = _stream.Read(discard[..(int)Math.Min(remaining, discard.Length)]);
                if (read == 0)
                {
                    break;
                }

                remaining -= read;
                _position += read;
            }
        }

        _pendingSkip = 0;
    }

    private int ReadFully(Span<byte> buffer)
    {
        var total = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _position += total;
        return total;
    }
}
