using Harness.EStargz;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>How regular files are split into chunks, at and around the chunk size.</summary>
public sealed class EStargzWriterChunkTests
{
    private const int Chunk = Conversion.SmallChunkSize;

    [Fact]
    public async Task EmptyFileHasDigestOnly()
    {
        var tar = new LayerBuilder().File("empty", []).Build();

        var conversion = await Conversion.RunSmallChunksAsync(tar);

        var entry = conversion.Entry("empty");
        Assert.Equal(TocEntryType.Regular, entry.Type);
        Assert.Equal(0, entry.Size);
        Assert.Equal(0, entry.Offset);
        Assert.Null(entry.ChunkDigest);
        Assert.Equal(TestData.EmptyDigest, entry.Digest);
    }

    [Fact]
    public async Task FileOneByteUnderChunkSize()
    {
        var data = TestData.Bytes(Chunk - 1);
        var conversion = await Conversion.RunSmallChunksAsync(
            new LayerBuilder().File("f", data).Build()
        );

        var entries = conversion.Entries().Where(e => e.Name == "f").ToList();

        var entry = Assert.Single(entries);
        Assert.Equal(Chunk - 1, entry.Size);
        Assert.Equal(0, entry.ChunkOffset);
        Assert.Equal(0, entry.ChunkSize);
        Assert.Equal(TestData.Digest(data), entry.ChunkDigest);
        Assert.Equal(TestData.Digest(data), entry.Digest);
        Assert.Equal(data, conversion.ReadMember(entry.Offset, data.Length));
    }

    [Fact]
    public async Task FileExactlyChunkSize()
    {
        var data = TestData.Bytes(Chunk);
        var conversion = await Conversion.RunSmallChunksAsync(
            new LayerBuilder().File("f", data).Build()
        );

        var entries = conversion.Entries().Where(e => e.Name == "f").ToList();

        // The Go writer records chunkSize whenever a chunk is full, even the only one.
        var entry = Assert.Single(entries);
        Assert.Equal(Chunk, entry.ChunkSize);
        Assert.Equal(TestData.Digest(data), entry.ChunkDigest);
        Assert.Equal(TestData.Digest(data), entry.Digest);
    }

    [Fact]
    public async Task FileOneByteOverChunkSize()
    {
        var data = TestData.Bytes(Chunk + 1);
        var conversion = await Conversion.RunSmallChunksAsync(
            new LayerBuilder().File("f", data).Build()
        );

        var entries = conversion.Entries().Where(e => e.Name == "f").ToList();

        Assert.Equal(2, entries.Count);
        Assert.Equal(TocEntryType.Regular, entries[0].Type);
        Assert.Equal(Chunk, entries[0].ChunkSize);
        Assert.Equal(TestData.Digest(data.AsSpan(0, Chunk)), entries[0].ChunkDigest);
        Assert.Equal(TestData.Digest(data), entries[0].Digest);
        Assert.Equal(TocEntryType.Chunk, entries[1].Type);
        Assert.Equal(Chunk, entries[1].ChunkOffset);
        Assert.Equal(0, entries[1].ChunkSize);
        Assert.Equal(TestData.Digest(data.AsSpan(Chunk, 1)), entries[1].ChunkDigest);
        Assert.Null(entries[1].Digest);
        Assert.True(entries[1].Offset > entries[0].Offset);
        Assert.Equal(data[Chunk..], conversion.ReadMember(entries[1].Offset, 1));
    }

    [Fact]
    public async Task FileOfSeveralChunks()
    {
        var data = TestData.Bytes(3 * Chunk + 10);
        var conversion = await Conversion.RunSmallChunksAsync(
            new LayerBuilder().File("big", data).Build()
        );

        var entries = conversion.Entries().Where(e => e.Name == "big").ToList();

        Assert.Equal(4, entries.Count);
        long[] expectedOffsets = [0, Chunk, 2 * Chunk, 3 * Chunk];
        long[] expectedSizes = [Chunk, Chunk, Chunk, 0];
        int[] lengths = [Chunk, Chunk, Chunk, 10];
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(expectedOffsets[i], entries[i].ChunkOffset);
            Assert.Equal(expectedSizes[i], entries[i].ChunkSize);
            var slice = data.AsSpan((int)expectedOffsets[i], lengths[i]).ToArray();
            Assert.Equal(TestData.Digest(slice), entries[i].ChunkDigest);
            Assert.Equal(slice, conversion.ReadMember(entries[i].Offset, lengths[i]));
        }

        Assert.Equal(TestData.Digest(data), entries[0].Digest);
    }

    [Fact]
    public async Task ReaderVerifiesEveryChunk()
    {
        var tar = new LayerBuilder()
            .File("a", TestData.Bytes(3 * Chunk + 10))
            .File("b", TestData.Bytes(Chunk, seed: 2))
            .File("c", [])
            .Build();
        var conversion = await Conversion.RunSmallChunksAsync(tar);
        using var reader = conversion.OpenReader();

        var chunks = await reader.VerifyChunksAsync(CancellationToken.None);

        // Landmark 1 + a 4 + b 1; the empty file has none.
        Assert.Equal(6, chunks);
    }
}
