using System.Buffers.Binary;
using System.Text;
using Harness.Images;
using Xunit;

namespace Harness.Tests.Images;

public sealed class ElfInterpreterTests
{
    [Fact]
    public void InterpreterSegmentIsRead()
    {
        using var tree = new TemporaryTree();
        var path = tree.PathOf("program");
        File.WriteAllBytes(path, MinimalElf("/lib64/ld-linux-x86-64.so.2"));

        Assert.Equal("/lib64/ld-linux-x86-64.so.2", ElfInterpreter.Read(path));
    }

    [Fact]
    public void ScriptHasNoInterpreter()
    {
        using var tree = new TemporaryTree();
        tree.File("script.sh", "#!/bin/sh\necho hi\n");

        Assert.Null(ElfInterpreter.Read(tree.PathOf("script.sh")));
    }

    /// <summary>
    /// Builds a 64-bit little-endian ELF file by hand: the 64-byte header, one 56-byte program
    /// header of type PT_INTERP (3) at offset 64, and the NUL-terminated path at offset 120.
    /// </summary>
    private static byte[] MinimalElf(string interpreter)
    {
        var path = Encoding.ASCII.GetBytes(interpreter + "\0");
        var bytes = new byte[120 + path.Length];
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = 2; // ELFCLASS64
        bytes[5] = 1; // ELFDATA2LSB
        bytes[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(0x20), 64); // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x36), 56); // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x38), 1); // e_phnum
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(64), 3); // p_type
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(64 + 0x08), 120); // p_offset
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(64 + 0x20), path.Length); // p_filesz
        path.CopyTo(bytes, 120);
        return bytes;
    }
}
