using System.Formats.Tar;
using Harness.Images;
using Harness.Processes;
using Xunit;

namespace Harness.Tests.Images;

public sealed class TarLayerWriterTests
{
    private static readonly DateTimeOffset ExpectedTime = DateTimeOffset.FromUnixTimeSeconds(
        1_704_067_200
    );

    [Fact]
    public async Task SameTreeTwiceGivesSameDigest()
    {
        using var tree = SampleTree();
        var first = await WriteAsync(tree);

        // Newer modification times and a fresh scan must not change a single byte.
        foreach (var file in Directory.EnumerateFiles(tree.Root, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(5));
            }
        }

        var second = await WriteAsync(tree);

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Bytes.Length, second.Bytes.Length);
    }

    [Fact]
    public async Task EntriesSortedWithFixedMetadata()
    {
        using var tree = SampleTree();
        var entries = ReadEntries((await WriteAsync(tree)).Bytes);

        var names = entries.Select(entry => entry.Name).ToList();
        Assert.Equal(
            ["bin/", "bin/tool", "etc/", "etc/config", "etc/config-link", "etc/hosts-copy"],
            names
        );
        foreach (var entry in entries)
        {
            Assert.Equal(ExpectedTime, entry.ModificationTime);
            Assert.Equal("", ((PosixTarEntry)entry).UserName);
            Assert.Equal("", ((PosixTarEntry)entry).GroupName);
            Assert.Equal(TarEntryFormat.Ustar, entry.Format);
        }
    }

    [Fact]
    public async Task EntryTypesModesAndLinksAreKept()
    {
        using var tree = SampleTree();
        var entries = ReadEntries((await WriteAsync(tree)).Bytes).ToDictionary(entry => entry.Name);

        Assert.Equal(TarEntryType.Directory, entries["bin/"].EntryType);
        Assert.Equal(TarEntryType.RegularFile, entries["bin/tool"].EntryType);
        Assert.Equal((UnixFileMode)0b111_101_101, entries["bin/tool"].Mode);
        Assert.Equal(5, entries["bin/tool"].Length);
        Assert.Equal(TarEntryType.SymbolicLink, entries["etc/config-link"].EntryType);
        Assert.Equal("config", entries["etc/config-link"].LinkName);

        // etc/config sorts before etc/hosts-copy, so it carries the content.
        Assert.Equal(TarEntryType.RegularFile, entries["etc/config"].EntryType);
        Assert.Equal(TarEntryType.HardLink, entries["etc/hosts-copy"].EntryType);
        Assert.Equal("etc/config", entries["etc/hosts-copy"].LinkName);
        Assert.Equal(0, entries["etc/hosts-copy"].Length);
    }

    [Fact]
    public async Task NameUpTo255BytesUsesUstarPrefix()
    {
        using var tree = new TemporaryTree();
        var folder = new string('d', 120);
        var file = new string('f', 90);
        tree.File($"{folder}/{file}", "x");

        var entries = ReadEntries((await WriteAsync(tree)).Bytes);

        Assert.Equal($"{folder}/{file}", entries[1].Name);
        Assert.Equal(TarEntryFormat.Ustar, entries[1].Format);
    }

    [Fact]
    public async Task LongerOrNonAsciiNamesUsePaxPath()
    {
        using var tree = new TemporaryTree();
        // Three 99-byte parts: 299 bytes in all, more than ustar's 155 + 1 + 100.
        var part = new string('n', 99);
        var longName = string.Join('/', Enumerable.Repeat(part, 3));
        tree.File(longName, "x");
        tree.File("café.txt", "y");

        var entries = ReadEntries((await WriteAsync(tree)).Bytes).ToDictionary(entry => entry.Name);

        Assert.Equal(TarEntryFormat.Pax, entries[longName].Format);
        Assert.Equal(TarEntryFormat.Pax, entries["café.txt"].Format);
        Assert.Equal(TarEntryFormat.Ustar, entries[$"{part}/"].Format);
        Assert.Equal(TarEntryFormat.Ustar, entries[$"{part}/{part}/"].Format);
    }

    [ExtendedAttributeFact]
    public async Task ExtendedAttributeBecomesPaxRecord()
    {
        using var tree = new TemporaryTree();
        tree.File("capable", "x");
        Assert.True(tree.TrySetAttribute("capable", "user.harness", "on"));

        var entry = (PaxTarEntry)ReadEntries((await WriteAsync(tree)).Bytes).Single();

        Assert.Equal("on", entry.ExtendedAttributes["SCHILY.xattr.user.harness"]);
    }

    [RootFact]
    public async Task DevicesAndFifosKeepTheirNumbers()
    {
        using var tree = new TemporaryTree();
        await ProcessRunner.RunAsync(
            "mknod",
            ["-m", "666", tree.PathOf("null"), "c", "1", "3"],
            CancellationToken.None
        );
        await ProcessRunner.RunAsync("mkfifo", [tree.PathOf("pipe")], CancellationToken.None);

        var entries = ReadEntries((await WriteAsync(tree)).Bytes).ToDictionary(entry => entry.Name);

        var device = (PosixTarEntry)entries["null"];
        Assert.Equal(TarEntryType.CharacterDevice, device.EntryType);
        Assert.Equal(1, device.DeviceMajor);
        Assert.Equal(3, device.DeviceMinor);
        Assert.Equal(TarEntryType.Fifo, entries["pipe"].EntryType);
    }

    [RootFact]
    public async Task OwnerBeyondUstarRangeReadsBack()
    {
        // Seven octal digits end at 2,097,151, and remapped user namespaces use larger ids.
        using var tree = new TemporaryTree();
        tree.File("owned", "x");
        await ProcessRunner.RunAsync(
            "chown",
            ["3000000:3000001", tree.PathOf("owned")],
            CancellationToken.None
        );

        var entry = (PosixTarEntry)ReadEntries((await WriteAsync(tree)).Bytes).Single();

        Assert.Equal(3_000_000, entry.Uid);
        Assert.Equal(3_000_001, entry.Gid);
    }

    [Fact]
    public async Task GnuTarListsTheSameEntries()
    {
        using var tree = SampleTree();
        var layer = await WriteAsync(tree);
        var path = Path.Combine(tree.Root, "..", Path.GetFileName(tree.Root) + ".tar");
        await File.WriteAllBytesAsync(path, layer.Bytes);
        try
        {
            var listing = await ProcessRunner.RunAsync(
                "tar",
                ["--list", "--file", path],
                CancellationToken.None
            );

            Assert.Equal(
                ["bin/", "bin/tool", "etc/", "etc/config", "etc/config-link", "etc/hosts-copy"],
                listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            );
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WhiteoutIsEmptyFileWithPrefix()
    {
        using var output = new MemoryStream();
        await TarLayerWriter.WriteAsync(
            [LayerEntry.Whiteout("etc/removed")],
            output,
            CancellationToken.None
        );

        var entry = ReadEntries(output.ToArray()).Single();

        Assert.Equal("etc/.wh.removed", entry.Name);
        Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
        Assert.Equal(0, entry.Length);
    }

    [Fact]
    public async Task StreamEndsWithTwoZeroBlocks()
    {
        using var output = new MemoryStream();
        await TarLayerWriter.WriteAsync([], output, CancellationToken.None);

        Assert.Equal(new byte[1024], output.ToArray());
    }

    private static TemporaryTree SampleTree()
    {
        var tree = new TemporaryTree();
        tree.Folder("bin")
            .File("bin/tool", "tool\n", 0b111_101_101)
            .Folder("etc")
            .File("etc/config", "key=value\n")
            .SymbolicLink("etc/config-link", "config")
            .HardLink("etc/hosts-copy", "etc/config");
        return tree;
    }

    private static async Task<(string Digest, byte[] Bytes)> WriteAsync(TemporaryTree tree)
    {
        var entries = FileTreeScanner
            .Scan(tree.Root, CancellationToken.None)
            .Select(LayerEntry.FromTree)
            .ToList();
        using var output = new MemoryStream();
        await using var hashing = new HashingStream(output, leaveOpen: true);
        await TarLayerWriter.WriteAsync(entries, hashing, CancellationToken.None);
        return (hashing.Digest, output.ToArray());
    }

    private static List<TarEntry> ReadEntries(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }
}
