using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Harness.Images;
using Harness.Workloads;
using Xunit;

namespace Harness.Tests.Images;

public sealed class OciImageWriterTests : IDisposable
{
    private static readonly WorkloadManifest Manifest = new()
    {
        Name = "sample",
        Entrypoint = ["/usr/bin/node", "/app/server.js"],
        Environment = new Dictionary<string, string> { ["PORT"] = "18099", ["A"] = "1" },
        WorkingDirectory = "/app",
        Port = 18099,
    };

    private readonly TemporaryTree _work = new("harness-oci-test-");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task GzipLayoutHasMarkerIndexAndManifest()
    {
        var layout = await WriteLayoutAsync(estargz: false);

        using var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "oci-layout")));
        Assert.Equal("1.0.0", marker.RootElement.GetProperty("imageLayoutVersion").GetString());

        using var index = ReadJson(Path.Combine(layout, "index.json"));
        Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(
            "application/vnd.oci.image.index.v1+json",
            index.RootElement.GetProperty("mediaType").GetString()
        );
        var entry = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(
            "application/vnd.oci.image.manifest.v1+json",
            entry.GetProperty("mediaType").GetString()
        );
        Assert.Equal(
            "sample:overlayfs",
            entry
                .GetProperty("annotations")
                .GetProperty("org.opencontainers.image.ref.name")
                .GetString()
        );
        AssertBlobMatches(layout, entry);

        using var manifest = ReadBlob(layout, entry);
        Assert.Equal(2, manifest.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(
            "application/vnd.oci.image.manifest.v1+json",
            manifest.RootElement.GetProperty("mediaType").GetString()
        );
        var config = manifest.RootElement.GetProperty("config");
        Assert.Equal(
            "application/vnd.oci.image.config.v1+json",
            config.GetProperty("mediaType").GetString()
        );
        AssertBlobMatches(layout, config);
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(2, layers.Count);
        foreach (var layer in layers)
        {
            Assert.Equal(
                "application/vnd.oci.image.layer.v1.tar+gzip",
                layer.GetProperty("mediaType").GetString()
            );
            AssertBlobMatches(layout, layer);
            Assert.False(layer.TryGetProperty("annotations", out _));
        }
    }

    [Fact]
    public async Task ConfigListsDiffIdsOfUncompressedLayers()
    {
        var layout = await WriteLayoutAsync(estargz: false);
        using var manifest = ReadManifest(layout);
        using var config = ReadBlob(layout, manifest.RootElement.GetProperty("config"));
        var root = config.RootElement;

        var expected = manifest
            .RootElement.GetProperty("layers")
            .EnumerateArray()
            .Select(layer => DigestOfDecompressed(BlobPath(layout, layer)))
            .ToList();
        var diffIds = root.GetProperty("rootfs")
            .GetProperty("diff_ids")
            .EnumerateArray()
            .Select(id => id.GetString()!)
            .ToList();

        Assert.Equal("layers", root.GetProperty("rootfs").GetProperty("type").GetString());
        Assert.Equal(expected, diffIds);
        Assert.Equal("amd64", root.GetProperty("architecture").GetString());
        Assert.Equal("linux", root.GetProperty("os").GetString());
        Assert.Equal(2, root.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task ConfigCarriesEntrypointEnvironmentAndWorkingFolder()
    {
        var layout = await WriteLayoutAsync(estargz: false);
        using var manifest = ReadManifest(layout);
        using var config = ReadBlob(layout, manifest.RootElement.GetProperty("config"));
        var settings = config.RootElement.GetProperty("config");

        Assert.Equal(
            ["/usr/bin/node", "/app/server.js"],
            settings.GetProperty("Entrypoint").EnumerateArray().Select(item => item.GetString())
        );
        Assert.Equal(
            [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "A=1",
                "PORT=18099",
            ],
            settings.GetProperty("Env").EnumerateArray().Select(item => item.GetString())
        );
        Assert.Equal("/app", settings.GetProperty("WorkingDir").GetString());
    }

    [Fact]
    public async Task EStargzLayersCarryTocAndSizeAnnotations()
    {
        var layout = await WriteLayoutAsync(estargz: true);
        using var manifest = ReadManifest(layout);

        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            var annotations = layer.GetProperty("annotations");
            var tocDigest = annotations
                .GetProperty("containerd.io/snapshot/stargz/toc.digest")
                .GetString();
            var size = annotations
                .GetProperty("io.containers.estargz.uncompressed-size")
                .GetString();

            Assert.Matches("^sha256:[0-9a-f]{64}$", tocDigest);
            Assert.Equal(
                DecompressedLength(BlobPath(layout, layer))
                    .ToString(System.Globalization.CultureInfo.InvariantCulture),
                size
            );
        }
    }

    [Fact]
    public async Task RegistryLayoutReaderOpensTheLayout()
    {
        var layout = await WriteLayoutAsync(estargz: false);

        var opened = Harness.Registry.OciImageLayout.Open(layout);

        var manifest = Assert.Single(opened.Manifests);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest.MediaType);
    }

    [Fact]
    public async Task SameLayersGiveSameManifestDigest()
    {
        var first = await WriteLayoutAsync(estargz: false, "first");
        var second = await WriteLayoutAsync(estargz: false, "second");

        using var firstIndex = ReadJson(Path.Combine(first, "index.json"));
        using var secondIndex = ReadJson(Path.Combine(second, "index.json"));

        Assert.Equal(
            firstIndex.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString(),
            secondIndex.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()
        );
    }

    private async Task<string> WriteLayoutAsync(bool estargz, string name = "layout")
    {
        var folder = Path.Combine(_work.Root, name);
        var written = await SampleImageLayout.WriteAsync(folder, Manifest, estargz);
        return written.LayoutPath;
    }

    private static JsonDocument ReadJson(string path) =>
        JsonDocument.Parse(File.ReadAllBytes(path));

    private static JsonDocument ReadManifest(string layout)
    {
        using var index = ReadJson(Path.Combine(layout, "index.json"));
        return ReadBlob(layout, index.RootElement.GetProperty("manifests")[0]);
    }

    private static JsonDocument ReadBlob(string layout, JsonElement descriptor) =>
        ReadJson(BlobPath(layout, descriptor));

    private static string BlobPath(string layout, JsonElement descriptor)
    {
        var digest = descriptor.GetProperty("digest").GetString()!;
        Assert.StartsWith("sha256:", digest);
        return Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
    }

    /// <summary>Checks that the blob exists, hashes to its name and has the listed size.
    /// </summary>
    private static void AssertBlobMatches(string layout, JsonElement descriptor)
    {
        var path = BlobPath(layout, descriptor);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(descriptor.GetProperty("size").GetInt64(), bytes.Length);
        Assert.Equal(
            descriptor.GetProperty("digest").GetString(),
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes))
        );
    }

    private static string DigestOfDecompressed(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(gzip));
    }

    private static long DecompressedLength(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var sink = new MemoryStream();
        gzip.CopyTo(sink);
        return sink.Length;
    }
}
