using Harness.Commands;
using Harness.EStargz;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>The <c>estargz convert</c> and <c>inspect</c> verbs, run through the command
/// line.</summary>
public sealed class EStargzCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory(
        "harness-estargz-cli-"
    );

    [Fact]
    public async Task ConvertWritesABlobThatInspectAccepts()
    {
        var input = Save("layer.tar", new LayerBuilder().File("f", TestData.Bytes(9000)).Build());
        var output = Path.Combine(_folder.FullName, "layer.esgz");

        var convertCode = await CommandLine.RunAsync([
            "estargz",
            "convert",
            input,
            output,
            "--chunk-size",
            "4096",
            "--level",
            "6",
        ]);
        var inspectCode = await CommandLine.RunAsync(["estargz", "inspect", output]);

        Assert.Equal(ExitCodes.Success, convertCode);
        Assert.Equal(ExitCodes.Success, inspectCode);
        using var reader = EStargzReader.Open(output);
        Assert.Equal(3, reader.Entries.Count(e => e.Name == "f"));
    }

    [Fact]
    public async Task ConvertOfNonTarLeavesNoOutput()
    {
        var input = Save("random.bin", TestData.Bytes(3000));
        var output = Path.Combine(_folder.FullName, "out.esgz");

        var code = await CommandLine.RunAsync(["estargz", "convert", input, output]);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.False(File.Exists(output));
        Assert.Equal(["random.bin"], _folder.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task ConvertOfTruncatedTarKeepsAnExistingOutput()
    {
        var tar = new LayerBuilder().File("f", TestData.Bytes(5000)).Build();
        var input = Save("truncated.tar", tar[..3000]);
        var output = Save("out.esgz", "previous"u8.ToArray());

        var code = await CommandLine.RunAsync(["estargz", "convert", input, output]);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("previous"u8.ToArray(), File.ReadAllBytes(output));
        Assert.Equal(2, _folder.GetFiles().Length);
    }

    [Fact]
    public async Task ConvertWithInvalidLevelExitsTwo()
    {
        var input = Save("layer.tar", new LayerBuilder().File("f", []).Build());

        var code = await CommandLine.RunAsync([
            "estargz",
            "convert",
            input,
            Path.Combine(_folder.FullName, "o"),
            "--level",
            "10",
        ]);

        Assert.Equal(ExitCodes.InvalidInput, code);
    }

    [Fact]
    public async Task InspectOfTruncatedBlobExitsTwo()
    {
        var conversion = await Conversion.RunAsync(new LayerBuilder().File("f", [1]).Build());
        var blob = Save("cut.esgz", conversion.Blob[..^1]);

        var code = await CommandLine.RunAsync(["estargz", "inspect", blob]);

        Assert.Equal(ExitCodes.InvalidInput, code);
    }

    [Fact]
    public async Task InspectWithWrongTocDigestExitsTwo()
    {
        var conversion = await Conversion.RunAsync(new LayerBuilder().File("f", [1]).Build());
        var blob = Save("ok.esgz", conversion.Blob);
        var wrong = "sha256:" + new string('2', 64);

        var matching = await CommandLine.RunAsync([
            "estargz",
            "inspect",
            blob,
            "--toc-digest",
            conversion.Layer.TocDigest,
        ]);
        var mismatching = await CommandLine.RunAsync([
            "estargz",
            "inspect",
            blob,
            "--toc-digest",
            wrong,
        ]);

        Assert.Equal(ExitCodes.Success, matching);
        Assert.Equal(ExitCodes.InvalidInput, mismatching);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
