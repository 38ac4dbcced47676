using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harness.Node;

namespace Harness.Tests.Node;

/// <summary>
/// A two-layer image made of Debian's static busybox and a web page, pushed to the node's
/// registry as a gzip image (<c>:overlayfs</c>) and as eStargz converted by the real
/// <c>ctr-remote</c> (<c>:estargz</c>). It is built with the node's own tools so that the node
/// tests do not depend on the harness's image builder.
/// </summary>
public static class BusyboxTestImage
{
    public const string Repository = "test/busybox";
    public const string Page = "cold start served\n";
    public const int LayerCount = 2;

    /// <summary>Builds and pushes both variants; returns their references.</summary>
    public static async Task<(string Overlayfs, string EStargz)> PushAsync(
        LocalNode node,
        int port,
        CancellationToken cancellationToken
    )
    {
        var registry = node.Layout.RegistryAddress;
        var name = $"{registry}/{Repository}";
        var archive = Path.Combine(Path.GetTempPath(), $"busybox-image-{Guid.NewGuid():N}.tar");
        try
        {
            await File.WriteAllBytesAsync(archive, BuildOciArchive(port), cancellationToken);
            await node.Containerd.CtrAsync(
                [
                    "images",
                    "import",
                    "--base-name",
                    name,
                    "--index-name",
                    $"{name}:overlayfs",
                    archive,
                ],
                cancellationToken
            );
        }
        finally
        {
            File.Delete(archive);
        }

        await Harness.Processes.ProcessRunner.RunAsync(
            "ctr-remote",
            [
                "-a",
                node.Layout.ContainerdSocket,
                "-n",
                NodeLayout.Namespace,
                "images",
                "convert",
                "--estargz",
                "--oci",
                $"{name}:overlayfs",
                $"{name}:estargz",
            ],
            cancellationToken
        );
        foreach (var tag in new[] { "overlayfs", "estargz" })
        {
            await node.Containerd.CtrAsync(
                ["images", "push", "--plain-http", $"{name}:{tag}"],
                cancellationToken
            );
        }

        return ($"{name}:overlayfs", $"{name}:estargz");
    }

    private static byte[] BuildOciArchive(int port)
    {
        var blobs = new Dictionary<string, byte[]>();
        var busyboxLayer = Tar(writer =>
        {
            AddDirectory(writer, "bin/");
            AddFile(writer, "bin/busybox", File.ReadAllBytes("/bin/busybox"), 0b111_101_101);
            var link = new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh")
            {
                LinkName = "busybox",
            };
            writer.WriteEntry(link);
        });
        var pageLayer = Tar(writer =>
        {
            AddDirectory(writer, "www/");
            AddFile(writer, "www/index.html", Encoding.UTF8.GetBytes(Page), 0b110_100_100);
        });

        var layerDescriptors = new List<object>();
        var diffIds = new List<string>();
        foreach (var layer in new[] { busyboxLayer, pageLayer })
        {
            diffIds.Add(Digest(layer));
            var compressed = Gzip(layer);
            blobs[Digest(compressed)] = compressed;
            layerDescriptors.Add(
                new
                {
                    mediaType = "application/vnd.oci.image.layer.v1.tar+gzip",
                    digest = Digest(compressed),
                    size = compressed.Length,
                }
            );
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                architecture = "amd64",
                os = "linux",
                config = new
                {
                    Entrypoint = new[]
                    {
                        "/bin/busybox",
                        "httpd",
                        "-f",
                        "-p",
                        $"127.0.0.1:{port}",
                        "-h",
                        "/www",
                    },
                },
                rootfs = new { type = "layers", diff_ids = diffIds },
            }
        );
        blobs[Digest(config)] = config;
        var manifest = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                schemaVersion = 2,
                mediaType = "application/vnd.oci.image.manifest.v1+json",
                config = new
                {
                    mediaType = "application/vnd.oci.image.config.v1+json",
                    digest = Digest(config),
                    size = config.Length,
                },
                layers = layerDescriptors,
            }
        );
        blobs[Digest(manifest)] = manifest;
        var index = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                schemaVersion = 2,
                manifests = new[]
                {
                    new
                    {
                        mediaType = "application/vnd.oci.image.manifest.v1+json",
                        digest = Digest(manifest),
                        size = manifest.Length,
                    },
                },
            }
        );

        return Tar(writer =>
        {
            AddFile(
                writer,
                "oci-layout",
                """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(),
                0b110_100_100
            );
            AddFile(writer, "index.json", index, 0b110_100_100);
            foreach (var (digest, content) in blobs)
            {
                AddFile(
                    writer,
                    $"blobs/sha256/{digest["sha256:".Length..]}",
                    content,
                    0b110_100_100
                );
            }
        });
    }

    private static byte[] Tar(Action<TarWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return stream.ToArray();
    }

    private static void AddDirectory(TarWriter writer, string name) =>
        writer.WriteEntry(
            new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 }
        );

    private static void AddFile(TarWriter writer, string name, byte[] content, int mode) =>
        writer.WriteEntry(
            new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                Mode = (UnixFileMode)mode,
                DataStream = new MemoryStream(content),
            }
        );

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    private static string Digest(byte[] content) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
