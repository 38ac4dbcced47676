using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliWrap;
using Harness.EStargz;
using Harness.Processes;
using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>
/// Blobs made by the real <c>ctr-remote image convert --estargz</c> (stargz-snapshotter 0.12.0),
/// run against a private containerd whose socket and state live in a temporary folder.
/// </summary>
public sealed class CtrRemoteConformanceTests : IAsyncLifetime
{
    private const string Namespace = "harness-estargz-test";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory(
        "harness-ctr-remote-"
    );
    private readonly CancellationTokenSource _daemonStop = new();
    private Task? _daemon;

    private string Socket => Path.Combine(_folder.FullName, "containerd.sock");

    private string ContentRoot =>
        Path.Combine(
            _folder.FullName,
            "root",
            "io.containerd.content.v1.content",
            "blobs",
            "sha256"
        );

    public async Task InitializeAsync()
    {
        var config = Path.Combine(_folder.FullName, "config.toml");
        await File.WriteAllTextAsync(
            config,
            $"""
            version = 2
            root = "{_folder.FullName}/root"
            state = "{_folder.FullName}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{Socket}"
            [ttrpc]
              address = "{Socket}.ttrpc"
            """
        );
        _daemon = Cli.Wrap("containerd")
            .WithArguments(["--config", config])
            .WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(
                PipeTarget.ToFile(Path.Combine(_folder.FullName, "containerd.log"))
            )
            .ExecuteAsync(_daemonStop.Token);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(Socket))
        {
            if (DateTime.UtcNow > deadline || _daemon.IsCompleted)
            {
                throw new InvalidOperationException(
                    "containerd did not create its socket within 30 s; see "
                        + Path.Combine(_folder.FullName, "containerd.log")
                );
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await _daemonStop.CancelAsync();
        try
        {
            await _daemon!;
        }
        catch (OperationCanceledException)
        {
            // Cancellation is how the daemon is stopped.
        }

        _daemonStop.Dispose();
        _folder.Delete(recursive: true);
    }

    [CtrRemoteFact]
    public async Task InspectReadsCtrRemoteBlob()
    {
        var tar = LayerForImage();
        var (blobPath, tocDigest, uncompressedSize) = await ConvertWithCtrRemoteAsync(tar);

        using var reader = EStargzReader.Open(blobPath);
        reader.VerifyTocDigest(tocDigest);
        var chunks = await reader.VerifyChunksAsync(CancellationToken.None);

        Assert.Equal(reader.Entries.Count(e => e.HasData), chunks);
        var ours = await Conversion.RunAsync(tar);
        Assert.Equal(uncompressedSize, ours.Layer.UncompressedSize);
        Assert.Equal(
            reader.Entries.Select(WithoutLayoutFields),
            ours.Entries().Select(WithoutLayoutFields)
        );
    }

    [CtrRemoteFact]
    public async Task InspectCommandAcceptsCtrRemoteBlob()
    {
        var (blobPath, tocDigest, _) = await ConvertWithCtrRemoteAsync(LayerForImage());

        var code = await Harness.Commands.CommandLine.RunAsync([
            "estargz",
            "inspect",
            blobPath,
            "--toc-digest",
            tocDigest,
        ]);

        Assert.Equal(Harness.Commands.ExitCodes.Success, code);
    }

    /// <summary>
    /// A ustar layer: both converters then write plain ustar headers, so even the uncompressed
    /// sizes agree. PAX input would differ, because Go keeps the atime and ctime records.
    /// </summary>
    private static byte[] LayerForImage() =>
        new LayerBuilder(TarEntryFormat.Ustar)
            .Directory("./")
            .Directory("./app/")
            .File(
                "./app/small.js",
                Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("let x = 1;\n", 300)))
            )
            .File("./app/large.bin", TestData.Bytes(5 * 1024 * 1024 + 17))
            .File("./app/.wh.gone", [])
            .Symlink("./app/link", "small.js")
            .HardLink("./app/hard", "./app/small.js")
            .Build();

    /// <summary>Strips what legitimately differs between two converters: offsets and the places
    /// where user and group names are repeated.</summary>
    private static string WithoutLayoutFields(TocEntry entry)
    {
        var node = JsonSerializer.SerializeToNode(entry)!.AsObject();
        node.Remove("offset");
        node.Remove("userName");
        node.Remove("groupName");
        return node.ToJsonString();
    }

    private async Task<(
        string BlobPath,
        string TocDigest,
        long UncompressedSize
    )> ConvertWithCtrRemoteAsync(byte[] layerTar)
    {
        var image = Path.Combine(_folder.FullName, "image.tar");
        await File.WriteAllBytesAsync(image, OciArchive(layerTar));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string[] address = ["--address", Socket, "--namespace", Namespace];
        await ProcessRunner.RunAsync(
            "ctr",
            [.. address, "images", "import", "--no-unpack", image],
            timeout.Token
        );
        await ProcessRunner.RunAsync(
            "ctr-remote",
            [
                .. address,
                "images",
                "convert",
                "--estargz",
                "--oci",
                "local/test:1",
                "local/test:esgz",
            ],
            timeout.Token
        );
        var list = await ProcessRunner.RunAsync("ctr", [.. address, "images", "ls"], timeout.Token);
        var manifestDigest = list
            .StandardOutput.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(fields => fields.Length > 2 && fields[0] == "local/test:esgz")[2];

        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(ContentPath(manifestDigest)))!;
        var layer = manifest["layers"]![0]!;
        var annotations = layer["annotations"]!;
        return (
            ContentPath(layer["digest"]!.GetValue<string>()),
            annotations[EStargzFormat.TocDigestAnnotation]!.GetValue<string>(),
            long.Parse(annotations[EStargzFormat.UncompressedSizeAnnotation]!.GetValue<string>())
        );
    }

    private string ContentPath(string digest) =>
        Path.Combine(ContentRoot, digest["sha256:".Length..]);

    /// <summary>Returns an OCI image layout archive holding one gzip layer, for ctr
    /// import.</summary>
    private static byte[] OciArchive(byte[] layerTar)
    {
        var blobs = new Dictionary<string, byte[]>();
        string Add(byte[] bytes)
        {
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
            blobs[digest] = bytes;
            return digest;
        }

        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(layerTar);
        }

        var layer = gzipped.ToArray();
        var layerDigest = Add(layer);
        var config = Encoding.UTF8.GetBytes(
            new JsonObject
            {
                ["architecture"] = "amd64",
                ["os"] = "linux",
                ["rootfs"] = new JsonObject
                {
                    ["type"] = "layers",
                    ["diff_ids"] = new JsonArray(
                        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layerTar))
                    ),
                },
            }.ToJsonString()
        );
        var configDigest = Add(config);
        var manifest = Encoding.UTF8.GetBytes(
            new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = new JsonObject
                {
                    ["mediaType"] = "application/vnd.oci.image.config.v1+json",
                    ["digest"] = configDigest,
                    ["size"] = config.Length,
                },
                ["layers"] = new JsonArray(
                    new JsonObject
                    {
                        ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip",
                        ["digest"] = layerDigest,
                        ["size"] = layer.Length,
                    }
                ),
            }.ToJsonString()
        );
        var manifestDigest = Add(manifest);
        var index = Encoding.UTF8.GetBytes(
            new JsonObject
            {
                ["schemaVersion"] = 2,
                ["manifests"] = new JsonArray(
                    new JsonObject
                    {
                        ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                        ["digest"] = manifestDigest,
                        ["size"] = manifest.Length,
                        ["annotations"] = new JsonObject
                        {
                            ["io.containerd.image.name"] = "local/test:1",
                        },
                        ["platform"] = new JsonObject
                        {
                            ["architecture"] = "amd64",
                            ["os"] = "linux",
                        },
                    }
                ),
            }.ToJsonString()
        );

        using var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            void Write(string name, byte[] bytes) =>
                writer.WriteEntry(
                    new PaxTarEntry(TarEntryType.RegularFile, name)
                    {
                        DataStream = new MemoryStream(bytes),
                    }
                );

            Write("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
            Write("index.json", index);
            foreach (var (digest, bytes) in blobs)
            {
                Write("blobs/sha256/" + digest["sha256:".Length..], bytes);
            }
        }

        return archive.ToArray();
    }
}
