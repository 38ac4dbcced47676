using Harness.EStargz;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>Errors for inputs and blobs that are not what they claim to be.</summary>
public sealed class EStargzBadInputTests
{
    private static async Task<Conversion> SampleAsync(int level = 9) =>
        await Conversion.RunAsync(
            new LayerBuilder().File("f", TestData.Bytes(5000)).Build(),
            new EStargzWriterOptions { CompressionLevel = level }
        );

    [Fact]
    public async Task TruncatedBlobIsReportedAsMissingFooter()
    {
        var blob = (await SampleAsync()).Blob;

        var exception = Assert.Throws<InvalidDataException>(() =>
            EStargzReader.Open(new MemoryStream(blob[..^10]), leaveOpen: false)
        );

        Assert.Contains("expected a 51-byte eStargz footer", exception.Message);
        Assert.Contains("truncated", exception.Message);
    }

    [Fact]
    public async Task CorruptFooterMagicIsReported()
    {
        var blob = (await SampleAsync()).Blob;
        blob[^14] = (byte)'X'; // the 'S' of "STARGZ"

        var exception = Assert.Throws<InvalidDataException>(() =>
            EStargzReader.Open(new MemoryStream(blob), leaveOpen: false)
        );

        Assert.Contains("eStargz footer", exception.Message);
    }

    [Fact]
    public async Task FooterPointingPastTheTocIsReported()
    {
        var conversion = await SampleAsync();
        var blob = conversion.Blob;
        var footer = EStargzFooter.Create(conversion.Layer.TocOffset + 5);
        footer.CopyTo(blob, blob.Length - footer.Length);

        var exception = Assert.Throws<InvalidDataException>(() =>
            EStargzReader.Open(new MemoryStream(blob), leaveOpen: false)
        );

        Assert.Contains($"TOC offset {conversion.Layer.TocOffset + 5}", exception.Message);
    }

    [Fact]
    public async Task TocDigestMismatchNamesBothDigests()
    {
        var conversion = await SampleAsync();
        using var reader = conversion.OpenReader();
        const string expected =
            "sha256:0000000000000000000000000000000000000000000000000000000000000000";

        var exception = Assert.Throws<InvalidDataException>(() => reader.VerifyTocDigest(expected));

        Assert.Contains(expected, exception.Message);
        Assert.Contains(conversion.Layer.TocDigest, exception.Message);
    }

    [Fact]
    public async Task CorruptChunkFailsVerification()
    {
        // Level 0 stores data uncompressed, so a flipped byte changes the chunk, not the
        // deflate stream's structure.
        var conversion = await SampleAsync(level: 0);
        var entry = conversion.Entry("f");
        var blob = conversion.Blob;
        blob[entry.Offset + 10 + 5 + 100] ^= 0xff; // gzip header, stored block header, data
        using var reader = EStargzReader.Open(new MemoryStream(blob), leaveOpen: false);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() =>
            reader.VerifyChunksAsync(CancellationToken.None)
        );

        Assert.Contains("chunk digest mismatch in 'f'", exception.Message);
    }

    [Fact]
    public async Task InputThatIsNotATarIsRejected()
    {
        var notTar = TestData.Bytes(4096);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Conversion.RunAsync(notTar)
        );

        Assert.Contains("not a valid tar archive", exception.Message);
        Assert.Contains("checksum", exception.Message);
    }

    [Fact]
    public async Task CorruptGzipInputIsRejected()
    {
        byte[] notDeflate = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff];

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Conversion.RunAsync(notDeflate)
        );

        Assert.Contains("starts like gzip but does not decompress", exception.Message);
    }

    [Fact]
    public async Task TruncatedTarIsRejected()
    {
        var tar = new LayerBuilder().File("f", TestData.Bytes(5000)).Build();

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Conversion.RunAsync(tar[..3000])
        );

        Assert.Contains("truncated", exception.Message);
        Assert.Contains("'f'", exception.Message);
    }

    [Fact]
    public async Task SparseFileIsRejectedWithItsTypeFlag()
    {
        var tar = new LayerBuilder(System.Formats.Tar.TarEntryFormat.Ustar).File("f", []).Build();
        tar[156] = (byte)'S';
        FixChecksum(tar.AsSpan(0, 512));

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Conversion.RunAsync(tar)
        );

        Assert.Contains("'S' (GNU sparse file)", exception.Message);
    }

    private static void FixChecksum(Span<byte> block)
    {
        block.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in block)
        {
            sum += b;
        }

        System
            .Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ")
            .CopyTo(block[148..]);
    }
}
