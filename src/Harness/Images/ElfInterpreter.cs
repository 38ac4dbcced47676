using System.Buffers.Binary;
using System.Text;

namespace Harness.Images;

/// <summary>
/// Reads the program interpreter (PT_INTERP, usually the dynamic loader) of a 64-bit
/// little-endian ELF file, which the kernel opens on exec without a system call that
/// strace could show.
/// </summary>
public static class ElfInterpreter
{
    // ELF-64 header fields (System V ABI, "ELF Header"): offset in bytes.
    private const int ClassOffset = 4;
    private const int DataOffset = 5;
    private const int ProgramHeaderOffsetField = 0x20;
    private const int ProgramHeaderSizeField = 0x36;
    private const int ProgramHeaderCountField = 0x38;
    private const int HeaderLength = 0x40;

    private const byte Class64 = 2;
    private const byte LittleEndian = 1;

    // Program header fields (System V ABI, "Program Header").
    private const uint TypeInterpreter = 3;
    private const int SegmentOffsetField = 0x08;
    private const int SegmentFileSizeField = 0x20;
    private const int MaxInterpreterLength = 4096;

    /// <summary>Returns the interpreter path of the ELF file at <paramref name="path"/>, or
    /// null when the file is not a 64-bit little-endian ELF file or has no interpreter.</summary>
    public static string? Read(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[HeaderLength];
        if (
            file.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) < HeaderLength
            || !header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8)
            || header[ClassOffset] != Class64
            || header[DataOffset] != LittleEndian
        )
        {
            return null;
        }

        var tableOffset = BinaryPrimitives.ReadInt64LittleEndian(
            header.AsSpan(ProgramHeaderOffsetField)
        );
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(
            header.AsSpan(ProgramHeaderSizeField)
        );
        var entryCount = BinaryPrimitives.ReadUInt16LittleEndian(
            header.AsSpan(ProgramHeaderCountField)
        );
        if (
            entrySize < SegmentFileSizeField + 8
            || tableOffset <= 0
            || tableOffset + (long)entrySize * entryCount > file.Length
        )
        {
            return null;
        }

        var entry = new byte[entrySize];
        for (var index = 0; index < entryCount; index++)
        {
            file.Position = tableOffset + (long)index * entrySize;
            file.ReadExactly(entry);
            if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != TypeInterpreter)
            {
                continue;
            }

            var offset = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(SegmentOffsetField));
            var size = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(SegmentFileSizeField));
            if (
                offset <= 0
                || size <= 0
                || size > MaxInterpreterLength
                || offset + size > file.Length
            )
            {
                return null;
            }

            var text = new byte[size];
            file.Position = offset;
            file.ReadExactly(text);
            return Encoding.UTF8.GetString(text).TrimEnd('\0');
        }

        return null;
    }
}
