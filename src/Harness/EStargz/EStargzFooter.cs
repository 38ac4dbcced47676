using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Harness.EStargz;

/// <summary>
/// The footer of estargz.md ("Footer"): an empty gzip member whose FEXTRA field contains the
/// subfield 'S','G' with the TOC offset as 16 lowercase hex digits followed by "STARGZ".
/// Reading also accepts the 47-byte footer of legacy stargz, whose extra field lacks the
/// subfield header.
/// </summary>
public static class EStargzFooter
{
    // RFC 1952 member header: ID1 ID2 CM FLG MTIME(4) XFL OS, then XLEN when FLG.FEXTRA is set.
    private const byte GzipId1 = 0x1f;
    private const byte GzipId2 = 0x8b;
    private const byte DeflateMethod = 8;
    private const byte FlagExtra = 0x04;
    private const int FlagOffset = 3;
    private const int OsOffset = 9;
    private const byte OsUnknown = 0xff;
    private const int XlenOffset = 10;
    private const int ExtraOffset = 12;
    private const int OffsetHexDigits = 16;
    private const string Magic = "STARGZ";

    // XLEN = 4 bytes of subfield header + 22 bytes of subfield; LEN = 22.
    private const int SubfieldLength = OffsetHexDigits + 6;
    private const int ExtraLength = 4 + SubfieldLength;

    // After the extra field: a final stored deflate block of length 0 (BFINAL=1, BTYPE=00,
    // LEN=0, NLEN=0xffff), then CRC32 = 0 and ISIZE = 0 of the empty contents.
    private static readonly byte[] EmptyStoredBlockAndTrailer =
    [
        0x01,
        0x00,
        0x00,
        0xff,
        0xff,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ];

    /// <summary>Returns the 51 footer bytes that point at a TOC starting at
    /// <paramref name="tocOffset"/>.</summary>
    public static byte[] Create(long tocOffset)
    {
        var footer = new byte[EStargzFormat.FooterSize];
        footer[0] = GzipId1;
        footer[1] = GzipId2;
        footer[2] = DeflateMethod;
        footer[FlagOffset] = FlagExtra;
        footer[OsOffset] = OsUnknown;
        BinaryPrimitives.WriteUInt16LittleEndian(footer.AsSpan(XlenOffset), ExtraLength);
        footer[ExtraOffset] = (byte)'S';
        footer[ExtraOffset + 1] = (byte)'G';
        BinaryPrimitives.WriteUInt16LittleEndian(footer.AsSpan(ExtraOffset + 2), SubfieldLength);
        Encoding
            .ASCII.GetBytes(tocOffset.ToString("x16", CultureInfo.InvariantCulture) + Magic)
            .CopyTo(footer, ExtraOffset + 4);
        EmptyStoredBlockAndTrailer.CopyTo(footer, ExtraOffset + ExtraLength);
        return footer;
    }

    /// <summary>
    /// Parses the footer at the end of <paramref name="tail"/> and returns the TOC offset and the
    /// footer's size; throws <see cref="InvalidDataException"/> naming what was found otherwise.
    /// </summary>
    public static (long TocOffset, int FooterSize) Parse(ReadOnlySpan<byte> tail)
    {
        if (
            tail.Length >= EStargzFormat.FooterSize
            && TryParse(tail[^EStargzFormat.FooterSize..], legacy: false, out var offset)
        )
        {
            return (offset, EStargzFormat.FooterSize);
        }

        if (
            tail.Length >= EStargzFormat.LegacyFooterSize
            && TryParse(tail[^EStargzFormat.LegacyFooterSize..], legacy: true, out offset)
        )
        {
            return (offset, EStargzFormat.LegacyFooterSize);
        }

        var shown = tail[^Math.Min(tail.Length, EStargzFormat.FooterSize)..];
        throw new InvalidDataException(
            $"expected a {EStargzFormat.FooterSize}-byte eStargz footer at the end of the blob "
                + "(an empty gzip member with extra subfield 'SG' holding "
                + "\"<16 hex digits>STARGZ\"), "
                + $"found the {shown.Length} bytes {Convert.ToHexStringLower(shown)}. The blob is "
                + "truncated or not eStargz."
        );
    }

    private static bool TryParse(ReadOnlySpan<byte> footer, bool legacy, out long tocOffset)
    {
        tocOffset = 0;
        if (
            footer[0] != GzipId1
            || footer[1] != GzipId2
            || footer[2] != DeflateMethod
            || (footer[FlagOffset] & FlagExtra) == 0
        )
        {
            return false;
        }

        var xlen = BinaryPrimitives.ReadUInt16LittleEndian(footer[XlenOffset..]);
        ReadOnlySpan<byte> subfield;
        if (legacy)
        {
            if (xlen != SubfieldLength)
            {
                return false;
            }

            subfield = footer.Slice(ExtraOffset, SubfieldLength);
        }
        else
        {
            if (
                xlen != ExtraLength
                || footer[ExtraOffset] != 'S'
                || footer[ExtraOffset + 1] != 'G'
                || BinaryPrimitives.ReadUInt16LittleEndian(footer[(ExtraOffset + 2)..])
                    != SubfieldLength
            )
            {
                return false;
            }

            subfield = footer.Slice(ExtraOffset + 4, SubfieldLength);
        }

        return subfield[OffsetHexDigits..].SequenceEqual("STARGZ"u8)
            && long.TryParse(
                subfield[..OffsetHexDigits],
                NumberStyles.AllowHexSpecifier,
                CultureInfo.InvariantCulture,
                out tocOffset
            )
            && tocOffset >= 0;
    }
}
