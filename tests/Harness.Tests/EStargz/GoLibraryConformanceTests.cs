using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.EStargz;
using Harness.Processes;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>Our blobs checked by the Go library, and Go-built blobs read by our reader.</summary>
public sealed class GoLibraryConformanceTests : IDisposable
{
    private const int Chunk = Conversion.SmallChunkSize;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory(
        "harness-estargz-go-"
    );

    /// <summary>One layer with every entry kind and the chunk boundary cases.</summary>
    private static byte[] RichLayer() =>
        new LayerBuilder()
            .Directory("./")
            .Directory("./etc/")
            .File("./etc/empty", [])
            .File("./etc/under", TestData.Bytes(Chunk - 1, seed: 2))
            .File("./etc/exact", TestData.Bytes(Chunk, seed: 3))
            .File("./etc/over", TestData.Bytes(Chunk + 1, seed: 4))
            .File("./etc/several", TestData.Bytes(3 * Chunk + 10, seed: 5))
            .HardLink("./etc/exact-link", "./etc/exact")
            .Symlink("./etc/symlink", "under")
            .File("./etc/.wh.removed", [])
            .Directory("./opaque/")
            .File("./opaque/.wh..wh..opq", [])
            .File(
                "./" + string.Join('/', Enumerable.Repeat(new string('n', 40), 5)),
                "long"u8.ToArray()
            )
            .File(
                "./données/файл-名前.txt", // non-ASCII file and user names
                "utf8"u8.ToArray(),
                uid: 1000,
                userName: "usér"
            )
            .FileWithXattrs("./xattr", "x"u8.ToArray(), new() { ["user.mime_type"] = "text/plain" })
            .Fifo("./run/fifo")
            .Device(TarEntryType.CharacterDevice, "./dev/null", 1, 3)
            .Device(TarEntryType.BlockDevice, "./dev/sda", 8, 0)
            .Build();

    [GoLibraryFact]
    public async Task GoLibraryVerifiesEveryChunkOfOurBlob()
    {
        var conversion = await Conversion.RunSmallChunksAsync(RichLayer());
        var blob = Save("ours.esgz", conversion.Blob);

        var report = await RunVerifierAsync(blob, conversion.Layer.TocDigest);

        var dataEntries = conversion.Entries().Count(e => e.HasData);
        Assert.Equal(conversion.Layer.TocDigest, report["tocDigest"]!.GetValue<string>());
        Assert.Equal(dataEntries, report["chunksVerified"]!.GetValue<int>());
        AssertSameEntries(ToNodes(conversion.Entries()), report["entries"]!.AsArray());
    }

    [GoLibraryFact]
    public async Task GoLibraryRejectsAWrongTocDigest()
    {
        var conversion = await Conversion.RunSmallChunksAsync(RichLayer());
        var blob = Save("ours.esgz", conversion.Blob);
        const string wrong =
            "sha256:1111111111111111111111111111111111111111111111111111111111111111";

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await ProcessRunner.TryRunAsync(
            await GoEStargzTools.VerifyPathAsync(),
            [blob, wrong],
            timeout.Token
        );

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invalid TOC JSON", result.StandardError);
    }

    [GoLibraryFact]
    public async Task GoLibraryReadsBinaryXattrsAsWritten()
    {
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

        var report = await RunVerifierAsync(Save("xattr.esgz", conversion.Blob), null);

        var entry = report["entries"]!
            .AsArray()
            .Single(e => e!["name"]!.GetValue<string>() == "usr/bin/ping");
        var value = entry!["xattrs"]!["security.capability"]!.GetValue<string>();
        Assert.Equal(capability, Convert.FromBase64String(value));
    }

    [GoLibraryFact]
    public async Task OurReaderListsTheEntriesOfAGoBuiltBlob()
    {
        var input = Save("layer.tar", RichLayer());
        var goBlob = Path.Combine(_folder.FullName, "go.esgz");
        await RunGoBuildAsync(input, goBlob);
        var goReport = await RunVerifierAsync(goBlob, null);

        using var reader = EStargzReader.Open(goBlob);
        var chunks = await reader.VerifyChunksAsync(CancellationToken.None);

        Assert.Equal(goReport["tocDigest"]!.GetValue<string>(), reader.TocDigest);
        Assert.Equal(goReport["chunksVerified"]!.GetValue<int>(), chunks);
        AssertSameEntries(ToNodes(reader.Entries), goReport["entries"]!.AsArray());
    }

    [GoLibraryFact]
    public async Task OurTocMatchesTheGoConverterEntryForEntry()
    {
        await AssertSameTocAsGoAsync(prioritized: null);
    }

    [GoLibraryFact]
    public async Task PrioritizedOrderMatchesTheGoConverter()
    {
        await AssertSameTocAsGoAsync(["/etc/exact-link", "xattr", "etc/over", "not/there"]);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private async Task AssertSameTocAsGoAsync(string[]? prioritized)
    {
        var tar = RichLayer();
        var input = Save("layer.tar", tar);
        var goBlob = Path.Combine(_folder.FullName, "go.esgz");
        await RunGoBuildAsync(input, goBlob, prioritized);
        var conversion = await Conversion.RunAsync(
            tar,
            new EStargzWriterOptions { ChunkSize = Chunk, PrioritizedFiles = prioritized }
        );

        using var goReader = EStargzReader.Open(goBlob);

        // Offsets differ with compression, and the Go converter repeats user and group names
        // at each of its parallel parts; every other field must be identical.
        var ours = ToNodes(conversion.Entries()).Select(WithoutLayoutFields).ToList();
        var theirs = ToNodes(goReader.Entries).Select(WithoutLayoutFields).ToList();
        Assert.Equal(theirs.Select(e => e.ToJsonString()), ours.Select(e => e.ToJsonString()));
    }

    private static JsonNode WithoutLayoutFields(JsonNode entry)
    {
        var copy = entry.DeepClone().AsObject();
        copy.Remove("offset");
        copy.Remove("userName");
        copy.Remove("groupName");
        return copy;
    }

    private static List<JsonNode> ToNodes(IEnumerable<TocEntry> entries) =>
        entries.Select(e => JsonSerializer.SerializeToNode(e)!).ToList();

    private static void AssertSameEntries(List<JsonNode> ours, JsonArray theirs)
    {
        Assert.Equal(theirs.Select(e => Canonical(e!)), ours.Select(Canonical));
    }

    /// <summary>Re-serialises a node with sorted keys so field order does not matter.</summary>
    private static string Canonical(JsonNode node)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in node.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sorted[key] = value?.DeepClone();
        }

        return sorted.ToJsonString();
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task RunGoBuildAsync(string input, string output, string[]? prioritized = null)
    {
        var arguments = new List<string> { "-chunk-size", Chunk.ToString() };
        if (prioritized is not null)
        {
            var list = Save(
                "prioritized.txt",
                System.Text.Encoding.UTF8.GetBytes(string.Join('\n', prioritized))
            );
            arguments.AddRange(["-prioritized", list]);
        }

        arguments.AddRange([input, output]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await ProcessRunner.RunAsync(
            await GoEStargzTools.BuildPathAsync(),
            arguments,
            timeout.Token
        );
    }

    private static async Task<JsonNode> RunVerifierAsync(string blob, string? tocDigest)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        List<string> arguments = tocDigest is null ? [blob] : [blob, tocDigest];
        var result = await ProcessRunner.RunAsync(
            await GoEStargzTools.VerifyPathAsync(),
            arguments,
            timeout.Token
        );
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
