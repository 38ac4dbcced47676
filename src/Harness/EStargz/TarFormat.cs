namespace Harness.EStargz;

/// <summary>
/// Offsets, sizes and flags of the POSIX ustar header (POSIX.1-2001 "pax" format) and the GNU
/// extensions that tar producers use in container layers.
/// </summary>
internal static class TarFormat
{
    public const int BlockSize = 512;

    // ustar header fields: offset and length within the 512-byte block.
    public const int NameOffset = 0,
        NameLength = 100;
    public const int ModeOffset = 100,
        ModeLength = 8;
    public const int UidOffset = 108,
        UidLength = 8;
    public const int GidOffset = 116,
        GidLength = 8;
    public const int SizeOffset = 124,
        SizeLength = 12;
    public const int ModTimeOffset = 136,
        ModTimeLength = 12;
    public const int ChecksumOffset = 148,
        ChecksumLength = 8;
    public const int TypeFlagOffset = 156;
    public const int LinkNameOffset = 157,
        LinkNameLength = 100;
    public const int MagicOffset = 257,
        MagicLength = 6;
    public const int VersionOffset = 263,
        VersionLength = 2;
    public const int UserNameOffset = 265,
        UserNameLength = 32;
    public const int GroupNameOffset = 297,
        GroupNameLength = 32;
    public const int DevMajorOffset = 329,
        DevMajorLength = 8;
    public const int DevMinorOffset = 337,
        DevMinorLength = 8;
    public const int PrefixOffset = 345,
        PrefixLength = 155;

    public const byte TypeRegular = (byte)'0';
    public const byte TypeRegularV7 = 0;
    public const byte TypeHardLink = (byte)'1';
    public const byte TypeSymlink = (byte)'2';
    public const byte TypeCharacterDevice = (byte)'3';
    public const byte TypeBlockDevice = (byte)'4';
    public const byte TypeDirectory = (byte)'5';
    public const byte TypeFifo = (byte)'6';
    public const byte TypePaxExtended = (byte)'x';
    public const byte TypePaxGlobal = (byte)'g';
    public const byte TypeGnuLongName = (byte)'L';
    public const byte TypeGnuLongLink = (byte)'K';

    /// <summary>Prefix of PAX records that carry extended attributes (star and GNU tar).</summary>
    public const string XattrPaxPrefix = "SCHILY.xattr.";

    /// <summary>Largest extension header read into memory; real ones are a few kilobytes.</summary>
    public const int MaxExtensionHeaderSize = 16 * 1024 * 1024;

    /// <summary>Returns the number of zero bytes that pad <paramref name="size"/> to a
    /// block.</summary>
    public static int PaddingAfter(long size) =>
        (int)((BlockSize - (size % BlockSize)) % BlockSize);

    /// <summary>Describes a type flag for error messages.</summary>
    public static string DescribeTypeFlag(byte flag) =>
        flag switch
        {
            (byte)'7' => "'7' (contiguous file)",
            (byte)'S' => "'S' (GNU sparse file)",
            (byte)'V' => "'V' (GNU volume header)",
            (byte)'M' => "'M' (GNU multi-volume continuation)",
            (byte)'D' => "'D' (GNU dump directory)",
            >= 0x20 and < 0x7f => $"'{(char)flag}'",
            _ => $"0x{flag:x2}",
        };
}
