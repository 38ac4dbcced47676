using System.Formats.Tar;
using System.Text;

namespace Harness.Tests.EStargz;

/// <summary>
/// Builds input layers with System.Formats.Tar, an implementation independent of the tar
/// code under test, plus a hand-written PAX header for binary extended attributes.
/// </summary>
internal sealed class LayerBuilder
{
    public static readonly DateTimeOffset ModTime = new(2021, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public LayerBuilder(TarEntryFormat format = TarEntryFormat.Pax)
    {
        Format = format;
        _writer = new TarWriter(_stream, format, leaveOpen: true);
    }

    public TarEntryFormat Format { get; }

    public LayerBuilder Directory(string name, int mode = 0x1ed)
    {
        var entry = Create(TarEntryType.Directory, name);
        entry.Mode = (UnixFileMode)mode;
        return Add(entry);
    }

    public LayerBuilder File(string name, byte[] data, int uid = 0, string userName = "root")
    {
        var entry = Create(RegularType, name);
        entry.DataStream = new MemoryStream(data);
        entry.Uid = uid;
        if (entry is PosixTarEntry posix)
        {
            posix.UserName = userName;
            posix.GroupName = "root";
        }

        return Add(entry);
    }

    public LayerBuilder FileWithXattrs(string name, byte[] data, Dictionary<string, string> xattrs)
    {
        var attributes = xattrs.ToDictionary(x => "SCHILY.xattr." + x.Key, x => x.Value);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name, attributes)
        {
            DataStream = new MemoryStream(data),
            ModificationTime = ModTime,
            Mode = (UnixFileMode)0x1a4,
        };
        return Add(entry);
    }

    public LayerBuilder Symlink(string name, string target)
    {
        var entry = Create(TarEntryType.SymbolicLink, name);
        entry.LinkName = target;
        return Add(entry);
    }

    public LayerBuilder HardLink(string name, string target)
    {
        var entry = Create(TarEntryType.HardLink, name);
        entry.LinkName = target;
        return Add(entry);
    }

    public LayerBuilder Device(TarEntryType type, string name, int major, int minor)
    {
        var entry = (PosixTarEntry)Create(type, name);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return Add(entry);
    }

    public LayerBuilder Fifo(string name) => Add(Create(TarEntryType.Fifo, name));

    /// <summary>
    /// Returns a layer of one regular file whose PAX header is written byte by byte, so the
    /// xattr value can hold bytes that are not UTF-8.
    /// </summary>
    public static byte[] BinaryXattrLayer(string name, byte[] data, string xattr, byte[] value)
    {
        var stream = new MemoryStream();
        var record = Concat(
            Encoding.ASCII.GetBytes($"SCHILY.xattr.{xattr}="),
            value,
            "\n"u8.ToArray()
        );

        // The record length counts its own decimal digits and the space after them.
        var length = record.Length + 2;
        while (length.ToString().Length + 1 + record.Length != length)
        {
            length = length.ToString().Length + 1 + record.Length;
        }

        var records = Concat(Encoding.ASCII.GetBytes(length + " "), record);
        WriteRawHeader(stream, "PaxHeader/" + name, (byte)'x', records.Length);
        WritePadded(stream, records);
        WriteRawHeader(stream, name, (byte)'0', data.Length);
        WritePadded(stream, data);
        stream.Write(new byte[1024]);
        return stream.ToArray();
    }

    /// <summary>Finishes the archive and returns its bytes.</summary>
    public byte[] Build()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    private TarEntryType RegularType =>
        Format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile;

    private TarEntry Create(TarEntryType type, string name)
    {
        TarEntry entry = Format switch
        {
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            TarEntryFormat.V7 => new V7TarEntry(type, name),
            _ => new PaxTarEntry(type, name),
        };
        entry.ModificationTime = ModTime;
        entry.Mode = (UnixFileMode)0x1a4;
        return entry;
    }

    private LayerBuilder Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    private static void WriteRawHeader(Stream stream, string name, byte typeFlag, int size)
    {
        var block = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(block, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(block, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(block, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(block, 116);
        Encoding
            .ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0")
            .CopyTo(block, 124);
        Encoding
            .ASCII.GetBytes(
                Convert.ToString(ModTime.ToUnixTimeSeconds(), 8).PadLeft(11, '0') + "\0"
            )
            .CopyTo(block, 136);
        block[156] = typeFlag;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(block, 257);
        "        "u8.CopyTo(block.AsSpan(148));
        var sum = block.Sum(b => b);
        Encoding
            .ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ")
            .CopyTo(block, 148);
        stream.Write(block);
    }

    private static void WritePadded(Stream stream, byte[] data)
    {
        stream.Write(data);
        stream.Write(new byte[(512 - data.Length % 512) % 512]);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
