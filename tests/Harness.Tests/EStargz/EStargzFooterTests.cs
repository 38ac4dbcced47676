using System.Text;
using Harness.EStargz;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>The footer bytes, laid out by hand from estargz.md's "Footer" section.</summary>
public sealed class EStargzFooterTests
{
    [Fact]
    public void FooterMatchesSpecifiedLayout()
    {
        var footer = EStargzFooter.Create(0x1234);

        byte[] expected =
        [
            0x1f,
            0x8b,
            0x08,
            0x04,
            0,
            0,
            0,
            0,
            0x00,
            0xff, // gzip header, FLG = FEXTRA
            26,
            0, // XLEN
            (byte)'S',
            (byte)'G',
            22,
            0, // SI1, SI2, LEN
            .. Encoding.ASCII.GetBytes("0000000000001234STARGZ"),
            0x01,
            0x00,
            0x00,
            0xff,
            0xff, // final stored block of length 0
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0, // CRC32 and ISIZE of nothing
        ];
        Assert.Equal(51, expected.Length);
        Assert.Equal(expected, footer);
    }

    [Fact]
    public void FooterParsesBackToItsOffset()
    {
        var (offset, size) = EStargzFooter.Parse(EStargzFooter.Create(987_654_321));

        Assert.Equal(987_654_321, offset);
        Assert.Equal(EStargzFormat.FooterSize, size);
    }

    [Fact]
    public async Task LegacyStargzFooterIsAccepted()
    {
        var conversion = await Conversion.RunAsync(new LayerBuilder().File("f", [1, 2, 3]).Build());
        var tocOffset = conversion.Layer.TocOffset;
        byte[] legacyFooter =
        [
            0x1f,
            0x8b,
            0x08,
            0x04,
            0,
            0,
            0,
            0,
            0x00,
            0xff,
            22,
            0, // XLEN: the subfield alone, without SI1, SI2 and LEN
            .. Encoding.ASCII.GetBytes(tocOffset.ToString("x16") + "STARGZ"),
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
        byte[] blob = [.. conversion.Blob[..^51], .. legacyFooter];

        using var reader = EStargzReader.Open(new MemoryStream(blob), leaveOpen: false);

        Assert.Equal(47, legacyFooter.Length);
        Assert.Equal(EStargzFormat.LegacyFooterSize, reader.FooterSize);
        Assert.Equal(tocOffset, reader.TocOffset);
        Assert.Equal(conversion.Layer.TocDigest, reader.TocDigest);
    }
}
