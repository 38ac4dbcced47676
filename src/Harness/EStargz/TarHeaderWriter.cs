using System.Buffers;
using System.Text;

namespace Harness.EStargz;

/// <summary>
/// Writes ustar headers, preceded by a PAX extended header ('x') when a value does not fit the
/// ustar fields. That is the case for paths over 100 bytes that cannot be split into prefix and
/// name, non-ASCII names, long user or group names, and extended attributes. Numbers too large for
/// the octal fields use the GNU base-256 encoding, which Go's archive/tar and GNU tar both read.
/// </summary>
internal static class TarHeaderWriter
{
    private const string PaxHeaderName = "././@PaxHeader";

    /// <summary>Writes the header blocks of <paramref name="header"/> and returns their
    /// length.</summary>
    public static int Write(TarEntryHeader header, IBufferWriter<byte> output)
    {
        var pax = new List<KeyValuePair<string, byte[]>>();
        var (nameField, prefixField) = SplitName(header.Name, pax);
        var linkField = FitOrPax("linkpath", header.LinkName, TarFormat.LinkNameLength, pax);
        var userField = FitOrPax("uname", header.UserName, TarFormat.UserNameLength, pax);
        var groupField = FitOrPax("gname", header.GroupName, TarFormat.GroupNameLength, pax);
        if (header.Xattrs is not null)
        {
            foreach (var (key, value) in header.Xattrs)
            {
                pax.Add(new(TarFormat.XattrPaxPrefix + key, value));
            }
        }

        var written = 0;
        if (pax.Count > 0)
        {
            var records = EncodePaxRecords(pax);
            var paxHeader = new TarEntryHeader
            {
                Name = PaxHeaderName,
                TypeFlag = TarFormat.TypePaxExtended,
                Mode = Convert.ToInt64("644", 8),
                ModTimeSeconds = header.ModTimeSeconds,
                Size = records.Length,
            };
            WriteBlock(paxHeader, Encoding.ASCII.GetBytes(PaxHeaderName), [], [], [], [], output);
            records.CopyTo(output.GetSpan(records.Length));
            output.Advance(records.Length);
            WriteZeros(TarFormat.PaddingAfter(records.Length), output);
            written +=
                TarFormat.BlockSize + records.Length + TarFormat.PaddingAfter(records.Length);
        }

        WriteBlock(header, nameField, prefixField, linkField, userField, groupField, output);
        return written + TarFormat.BlockSize;
    }

    /// <summary>Writes <paramref name="count"/> zero bytes, such as the padding after file
    /// data.</summary>
    public static void WriteZeros(int count, IBufferWriter<byte> output)
    {
        if (count == 0)
        {
            return;
        }

        output.GetSpan(count)[..count].Clear();
        output.Advance(count);
    }

    private static void WriteBlock(
        TarEntryHeader header,
        byte[] nameField,
        byte[] prefixField,
        byte[] linkField,
        byte[] userField,
        byte[] groupField,
        IBufferWriter<byte> output
    )
    {
        var block = output.GetSpan(TarFormat.BlockSize)[..TarFormat.BlockSize];
        block.Clear();
        nameField.CopyTo(block[TarFormat.NameOffset..]);
        WriteNumber(block.Slice(TarFormat.ModeOffset, TarFormat.ModeLength), header.Mode);
        WriteNumber(block.Slice(TarFormat.UidOffset, TarFormat.UidLength), header.Uid);
        WriteNumber(block.Slice(TarFormat.GidOffset, TarFormat.GidLength), header.Gid);
        WriteNumber(block.Slice(TarFormat.SizeOffset, TarFormat.SizeLength), header.Size);
        WriteNumber(
            block.Slice(TarFormat.ModTimeOffset, TarFormat.ModTimeLength),
            header.ModTimeSeconds
        );
        block[TarFormat.TypeFlagOffset] = header.TypeFlag;
        linkField.CopyTo(block[TarFormat.LinkNameOffset..]);
        "ustar\0"u8.CopyTo(block[TarFormat.MagicOffset..]);
        "00"u8.CopyTo(block[TarFormat.VersionOffset..]);
        userField.CopyTo(block[TarFormat.UserNameOffset..]);
        groupField.CopyTo(block[TarFormat.GroupNameOffset..]);
        WriteNumber(
            block.Slice(TarFormat.DevMajorOffset, TarFormat.DevMajorLength),
            header.DevMajor
        );
        WriteNumber(
            block.Slice(TarFormat.DevMinorOffset, TarFormat.DevMinorLength),
            header.DevMinor
        );
        prefixField.CopyTo(block[TarFormat.PrefixOffset..]);

        // The checksum is the sum of all header bytes with the checksum field read as spaces,
        // stored as six octal digits, a NUL and a space.
        var checksumField = block.Slice(TarFormat.ChecksumOffset, TarFormat.ChecksumLength);
        checksumField.Fill((byte)' ');
        var sum = 0;
        foreach (var b in block)
        {
            sum += b;
        }

        WriteOctal(checksumField[..7], sum);
        output.Advance(TarFormat.BlockSize);
    }

    /// <summary>Writes octal digits and a NUL, or GNU base-256 when the octal form does not
    /// fit.</summary>
    private static void WriteNumber(Span<byte> field, long value)
    {
        var octalDigits = field.Length - 1;
        if (value >= 0 && value < 1L << (3 * octalDigits))
        {
            WriteOctal(field, value);
            return;
        }

        // Base-256: the first byte's top bit marks the encoding, the rest is big-endian two's
        // complement filling the field.
        for (var i = field.Length - 1; i >= 0; i--)
        {
            field[i] = (byte)value;
            value >>= 8;
        }

        field[0] |= 0x80;
    }

    private static void WriteOctal(Span<byte> field, long value)
    {
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }

    private static (byte[] Name, byte[] Prefix) SplitName(
        string name,
        List<KeyValuePair<string, byte[]>> pax
    )
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length == name.Length)
        {
            if (bytes.Length <= TarFormat.NameLength)
            {
                return (bytes, []);
            }

            // ustar splits a long path at a slash: up to 155 bytes of prefix, 100 of name.
            var limit = Math.Min(bytes.Length - 1, TarFormat.PrefixLength);
            for (var i = limit; i > 0; i--)
            {
                if (
                    bytes[i] == '/'
                    && bytes.Length - i - 1 <= TarFormat.NameLength
                    && bytes.Length - i - 1 > 0
                )
                {
                    return (bytes[(i + 1)..], bytes[..i]);
                }
            }
        }

        pax.Add(new("path", bytes));
        return (Truncate(bytes, TarFormat.NameLength), []);
    }

    private static byte[] FitOrPax(
        string key,
        string value,
        int fieldLength,
        List<KeyValuePair<string, byte[]>> pax
    )
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length <= fieldLength && bytes.Length == value.Length)
        {
            return bytes;
        }

        pax.Add(new(key, bytes));
        return Truncate(bytes, fieldLength);
    }

    private static byte[] Truncate(byte[] bytes, int length) =>
        bytes.Length <= length ? bytes : bytes[..length];

    private static byte[] EncodePaxRecords(List<KeyValuePair<string, byte[]>> records)
    {
        using var buffer = new MemoryStream();
        foreach (var (key, value) in records)
        {
            // "<length> <key>=<value>\n", where length counts its own digits too.
            var keyBytes = Encoding.UTF8.GetBytes(key);
            var bodyLength = keyBytes.Length + value.Length + 3;
            var length = bodyLength + 1;
            while (length.ToString().Length + bodyLength != length)
            {
                length = length.ToString().Length + bodyLength;
            }

            buffer.Write(Encoding.ASCII.GetBytes(length.ToString()));
            buffer.WriteByte((byte)' ');
            buffer.Write(keyBytes);
            buffer.WriteByte((byte)'=');
            buffer.Write(value);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }
}
