using System.Formats.Tar;
using System.Text;
using Harness.EStargz;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>TOC entries for each kind of tar entry, and the tar the blob decompresses to.</summary>
public sealed class EStargzWriterEntryTests
{
    [Fact]
    public async Task EmptyLayerHoldsOnlyTheNoPrefetchLandmark()
    {
        var conversion = await Conversion.RunAsync(new byte[1024]);

        var entry = Assert.Single(conversion.Entries());
        Assert.Equal(EStargzFormat.NoPrefetchLandmark, entry.Name);
        Assert.Equal(TocEntryType.Regular, entry.Type);
        Assert.Equal(1, entry.Size);
        Assert.Equal(TestData.LandmarkDigest, entry.Digest);
        Assert.Equal(new byte[] { 0x0f }, conversion.ReadMember(entry.Offset, 1));
    }

    [Fact]
    public async Task ZeroByteInputIsAnEmptyLayer()
    {
        var conversion = await Conversion.RunAsync([]);

        var entry = Assert.Single(conversion.Entries());
        Assert.Equal(EStargzFormat.NoPrefetchLandmark, entry.Name);
    }

    [Fact]
    public async Task DirectoryKeepsNameModeAndTime()
    {
        var conversion = await Conversion.RunAsync(
            new LayerBuilder().Directory("etc/", mode: 0x1ed).Build()
        );

        var entry = conversion.Entry("etc/");
        Assert.Equal(TocEntryType.Directory, entry.Type);
        Assert.Equal(493, entry.Mode);
        Assert.Equal("2021-02-03T04:05:06Z", entry.ModTime);
    }

    [Fact]
    public async Task HardLinkAndSymlinkKeepTheirTargets()
    {
        var tar = new LayerBuilder()
            .File("bin/tool", "x"u8.ToArray())
            .HardLink("bin/tool-alias", "bin/tool")
            .Symlink("bin/link", "../lib/tool")
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        var hardLink = conversion.Entry("bin/tool-alias");
        Assert.Equal(TocEntryType.HardLink, hardLink.Type);
        Assert.Equal("bin/tool", hardLink.LinkName);
        Assert.Equal(0, hardLink.Size);
        var symlink = conversion.Entry("bin/link");
        Assert.Equal(TocEntryType.Symlink, symlink.Type);
        Assert.Equal("../lib/tool", symlink.LinkName);
    }

    [Fact]
    public async Task WhiteoutsStayEmptyRegularFiles()
    {
        var tar = new LayerBuilder()
            .Directory("app/")
            .File("app/.wh.old.conf", [])
            .File("app/cache/.wh..wh..opq", [])
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        foreach (var name in new[] { "app/.wh.old.conf", "app/cache/.wh..wh..opq" })
        {
            var entry = conversion.Entry(name);
            Assert.Equal(TocEntryType.Regular, entry.Type);
            Assert.Equal(0, entry.Size);
        }

        var tarNames = conversion.TarEntries().Select(e => e.Name).ToList();
        Assert.Contains("app/.wh.old.conf", tarNames);
        Assert.Contains("app/cache/.wh..wh..opq", tarNames);
    }

    [Theory]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public async Task NamesOver100BytesSurviveInTocAndTar(TarEntryFormat format)
    {
        // 150 bytes split at a slash (ustar prefix), and 300 bytes that need PAX or GNU.
        var splittable = new string('a', 60) + "/" + new string('b', 89);
        var longPath = string.Join('/', Enumerable.Repeat(new string('c', 49), 6));
        var longLinkTarget = new string('t', 120);
        var tar = new LayerBuilder(format)
            .File(splittable, "1"u8.ToArray())
            .File(longPath, "2"u8.ToArray())
            .Symlink("s", longLinkTarget)
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        Assert.Equal(150, splittable.Length);
        Assert.Equal(299, longPath.Length);
        Assert.Equal(1, conversion.Entry(splittable).Size);
        Assert.Equal(1, conversion.Entry(longPath).Size);
        Assert.Equal(longLinkTarget, conversion.Entry("s").LinkName);
        var tarEntries = conversion.TarEntries();
        Assert.Contains(tarEntries, e => e.Name == splittable);
        Assert.Contains(tarEntries, e => e.Name == longPath);
        Assert.Contains(tarEntries, e => e.Name == "s" && e.LinkName == longLinkTarget);
    }

    [Fact]
    public async Task NonAsciiNamesSurviveInTocAndTar()
    {
        const string name = "données/файл-名前.txt";
        var tar = new LayerBuilder()
            .File(name, "x"u8.ToArray(), uid: 1000, userName: "usér")
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        var entry = conversion.Entry(name);
        Assert.Equal("usér", entry.UserName);
        var tarEntry = Assert.Single(conversion.TarEntries(), e => e.Name == name);
        Assert.Equal("usér", ((PosixTarEntry)tarEntry).UserName);
    }

    [Fact]
    public async Task XattrsComeFromSchilyPaxRecords()
    {
        var tar = new LayerBuilder()
            .FileWithXattrs("f", "x"u8.ToArray(), new() { ["user.comment"] = "hello" })
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        var xattrs = conversion.Entry("f").Xattrs;
        Assert.NotNull(xattrs);
        Assert.Equal("hello"u8.ToArray(), xattrs["user.comment"]);
        var tarEntry = (PaxTarEntry)Assert.Single(conversion.TarEntries(), e => e.Name == "f");
        Assert.Equal("hello", tarEntry.ExtendedAttributes["SCHILY.xattr.user.comment"]);
    }

    [Fact]
    public async Task BinaryXattrKeepsItsExactBytes()
    {
        // A security.capability value (VFS_CAP_REVISION_2, cap_net_raw), not valid UTF-8.
        byte[] capability =
        [
            0x01,
            0x00,
            0x00,
            0x02,
            0x00,
            0x20,
            0x00,
            0x00,
            0,
            0,
            0,
            0,
            0xff,
            0xfe,
        ];
        var tar = LayerBuilder.BinaryXattrLayer(
            "usr/bin/ping",
            "x"u8.ToArray(),
            "security.capability",
            capability
        );

        var conversion = await Conversion.RunAsync(tar);

        var entry = conversion.Entry("usr/bin/ping");
        Assert.Equal(capability, entry.Xattrs!["security.capability"]);
        var tocJson = Encoding.UTF8.GetString(conversion.DecompressedTar());
        Assert.Contains(Convert.ToBase64String(capability), tocJson);
    }

    [Fact]
    public async Task FifoAndDevicesKeepTheirNumbers()
    {
        var tar = new LayerBuilder()
            .Fifo("run/pipe")
            .Device(TarEntryType.CharacterDevice, "dev/null", 1, 3)
            .Device(TarEntryType.BlockDevice, "dev/sda", 8, 0)
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        Assert.Equal(TocEntryType.Fifo, conversion.Entry("run/pipe").Type);
        var charDevice = conversion.Entry("dev/null");
        Assert.Equal(TocEntryType.CharacterDevice, charDevice.Type);
        Assert.Equal(1, charDevice.DevMajor);
        Assert.Equal(3, charDevice.DevMinor);
        var blockDevice = conversion.Entry("dev/sda");
        Assert.Equal(TocEntryType.BlockDevice, blockDevice.Type);
        Assert.Equal(8, blockDevice.DevMajor);
        Assert.Equal(0, blockDevice.DevMinor);
        var tarDevice = (PosixTarEntry)
            Assert.Single(conversion.TarEntries(), e => e.Name == "dev/null");
        Assert.Equal(1, tarDevice.DeviceMajor);
        Assert.Equal(3, tarDevice.DeviceMinor);
    }

    [Fact]
    public async Task UserNameWrittenOnlyOnChange()
    {
        var tar = new LayerBuilder()
            .File("a", [], uid: 1000, userName: "app")
            .File("b", [], uid: 1000, userName: "app")
            .File("c", [], uid: 1000, userName: "other")
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        Assert.Equal("app", conversion.Entry("a").UserName);
        Assert.Null(conversion.Entry("b").UserName);
        Assert.Equal("other", conversion.Entry("c").UserName);
        Assert.Equal(1000, conversion.Entry("b").Uid);
    }

    [Fact]
    public async Task LaterDuplicateReplacesEarlierEntry()
    {
        var tar = new LayerBuilder()
            .File("a", "first"u8.ToArray())
            .File("b", [])
            .File("./a", "second"u8.ToArray())
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        var names = conversion.Entries().Select(e => e.Name).ToList();
        Assert.Equal([EStargzFormat.NoPrefetchLandmark, "b", "./a"], names);
        Assert.Equal(TestData.Digest("second"u8), conversion.Entry("./a").Digest);
    }

    [Fact]
    public async Task BlobDecompressesToLayerTar()
    {
        var tar = new LayerBuilder().Directory("d/").File("d/f", TestData.Bytes(10_000)).Build();

        var conversion = await Conversion.RunSmallChunksAsync(tar);

        var names = conversion.TarEntries().Select(e => e.Name).ToList();
        Assert.Equal(
            [EStargzFormat.NoPrefetchLandmark, "d/", "d/f", EStargzFormat.TocTarName],
            names
        );
        var decompressed = conversion.DecompressedTar();
        Assert.Equal(TestData.Digest(decompressed), conversion.Layer.DiffId);
        Assert.Equal(decompressed.Length, conversion.Layer.UncompressedSize);
        Assert.Equal(TestData.Digest(conversion.Blob), conversion.Layer.Digest);
        Assert.Equal(conversion.Blob.Length, conversion.Layer.Size);
        var data = conversion.TarEntries().Single(e => e.Name == "d/f").DataStream!;
        Assert.Equal(TestData.Digest(TestData.Bytes(10_000)), TestData.Digest(ReadAll(data)));
    }

    [Fact]
    public async Task TocDigestMatchesTocTarEntry()
    {
        var conversion = await Conversion.RunAsync(new LayerBuilder().File("f", [1, 2]).Build());

        var toc = conversion.TarEntries().Single(e => e.Name == EStargzFormat.TocTarName);

        Assert.Equal(TestData.Digest(ReadAll(toc.DataStream!)), conversion.Layer.TocDigest);
        Assert.Equal(
            conversion.Layer.TocDigest,
            conversion.Layer.Annotations[EStargzFormat.TocDigestAnnotation]
        );
        Assert.Equal(
            conversion.Layer.UncompressedSize.ToString(),
            conversion.Layer.Annotations[EStargzFormat.UncompressedSizeAnnotation]
        );
    }

    [Fact]
    public async Task ManyHeaderOnlyEntriesStayReadable()
    {
        // About 3,000 PAX-headed empty files: several MiB of headers with no file data, which
        // the writer cuts into several gzip members.
        var builder = new LayerBuilder();
        for (var i = 0; i < 3000; i++)
        {
            builder.File($"empty/{i:D5}", []);
        }

        builder.File("last", "end"u8.ToArray());
        var tar = builder.Build();

        var conversion = await Conversion.RunAsync(tar);

        Assert.True(tar.Length > 2 * 1024 * 1024);
        Assert.Equal(3002, conversion.Entries().Count);
        Assert.Equal(3003, conversion.TarEntries().Count);
        Assert.Equal("end"u8.ToArray(), conversion.ReadMember(conversion.Entry("last").Offset, 3));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
