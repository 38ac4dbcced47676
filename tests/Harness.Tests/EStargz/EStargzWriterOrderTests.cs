using Harness.EStargz;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>Entry order with and without prioritized files, and input forms.</summary>
public sealed class EStargzWriterOrderTests
{
    private static byte[] SampleLayer() =>
        new LayerBuilder()
            .Directory("./")
            .Directory("./a/")
            .File("./a/x", "x"u8.ToArray())
            .File("./b", "b"u8.ToArray())
            .HardLink("./c", "./b")
            .File("./d", "d"u8.ToArray())
            .Build();

    [Fact]
    public async Task NoPrioritizedFilesPutsNoPrefetchLandmarkFirst()
    {
        var conversion = await Conversion.RunAsync(SampleLayer());

        var names = conversion.Entries().Select(e => e.Name).ToList();

        Assert.Equal(
            [EStargzFormat.NoPrefetchLandmark, "./", "./a/", "./a/x", "./b", "./c", "./d"],
            names
        );
    }

    [Fact]
    public async Task PrioritizedFilesPullParentsAndTargets()
    {
        // "/c" moves the root, then its link target ./b, then itself; "a/x" moves ./a/ first.
        var options = new EStargzWriterOptions { PrioritizedFiles = ["/c", "a/x", "missing"] };

        var conversion = await Conversion.RunAsync(SampleLayer(), options);

        var names = conversion.Entries().Select(e => e.Name).ToList();
        Assert.Equal(
            ["./", "./b", "./c", "./a/", "./a/x", EStargzFormat.PrefetchLandmark, "./d"],
            names
        );
        Assert.Equal(["missing"], conversion.Layer.MissingPrioritizedFiles);
    }

    [Fact]
    public async Task AllPrioritizedFilesMissingStillUsesPrefetchLandmark()
    {
        var options = new EStargzWriterOptions { PrioritizedFiles = ["nothing/here"] };

        var conversion = await Conversion.RunAsync(SampleLayer(), options);

        Assert.Equal(EStargzFormat.PrefetchLandmark, conversion.Entries()[0].Name);
    }

    [Fact]
    public async Task LandmarksAndTocInInputAreReplaced()
    {
        var tar = new LayerBuilder()
            .File(EStargzFormat.PrefetchLandmark, [0x0f])
            .File("f", "f"u8.ToArray())
            .File(EStargzFormat.TocTarName, "{}"u8.ToArray())
            .Build();

        var conversion = await Conversion.RunAsync(tar);

        var names = conversion.Entries().Select(e => e.Name).ToList();
        Assert.Equal([EStargzFormat.NoPrefetchLandmark, "f"], names);
    }

    [Fact]
    public async Task GzipInputMatchesPlainTar()
    {
        var tar = SampleLayer();
        using var gzipped = new MemoryStream();
        await using (
            var gzip = new System.IO.Compression.GZipStream(
                gzipped,
                System.IO.Compression.CompressionLevel.Fastest,
                leaveOpen: true
            )
        )
        {
            gzip.Write(tar);
        }

        var fromTar = await Conversion.RunAsync(tar);
        var fromGzip = await Conversion.RunAsync(gzipped.ToArray());

        Assert.Equal(fromTar.Layer.Digest, fromGzip.Layer.Digest);
    }

    [Fact]
    public async Task NonSeekableInputGivesTheSameBlob()
    {
        var tar = SampleLayer();
        using var output = new MemoryStream();

        var layer = await EStargzWriter.ConvertAsync(
            new ForwardOnlyStream(new MemoryStream(tar)),
            output,
            new EStargzWriterOptions(),
            CancellationToken.None
        );

        Assert.Equal((await Conversion.RunAsync(tar)).Layer.Digest, layer.Digest);
    }

    [Fact]
    public async Task ParallelismDoesNotChangeTheBlob()
    {
        var builder = new LayerBuilder();
        for (var i = 0; i < 200; i++)
        {
            builder.File($"f{i}", TestData.Bytes(i * 97, seed: i));
        }

        var tar = builder.Build();
        var one = await Conversion.RunAsync(
            tar,
            new EStargzWriterOptions { ChunkSize = 1000, MaxDegreeOfParallelism = 1 }
        );
        var four = await Conversion.RunAsync(
            tar,
            new EStargzWriterOptions { ChunkSize = 1000, MaxDegreeOfParallelism = 4 }
        );

        Assert.Equal(one.Layer.Digest, four.Layer.Digest);
        Assert.Equal(one.Layer.TocDigest, four.Layer.TocDigest);
        Assert.Equal(one.Blob, four.Blob);
    }

    [Fact]
    public async Task CancelledConversionStops()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            EStargzWriter.ConvertAsync(
                new MemoryStream(SampleLayer()),
                new MemoryStream(),
                new EStargzWriterOptions(),
                cancellation.Token
            )
        );
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            inner.Read(buffer, offset, count);

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();
    }
}
