using System.Security.Cryptography;
using System.Text.Json;

namespace Harness.Tests.Registry;

/// <summary>
/// Writes small OCI image layouts for push tests, computing every digest itself with SHA-256
/// so that expected values do not come from the code under test.
/// </summary>
internal sealed class TestImageLayout : IDisposable
{
    public const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndexType = "application/vnd.oci.image.index.v1+json";
    public const string OciConfigType = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

    public TestImageLayout()
    {
        Folder = Directory.CreateTempSubdirectory("harness-oci-layout-").FullName;
        Directory.CreateDirectory(Path.Combine(Folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(Folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Folder { get; }

    public static string Sha256(byte[] content) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Stores a blob and returns its descriptor.</summary>
    public TestDescriptor AddBlob(string mediaType, byte[] content)
    {
        var digest = Sha256(content);
        File.WriteAllBytes(BlobPath(digest), content);
        return new TestDescriptor(mediaType, digest, content.Length, content);
    }

    public string BlobPath(string digest) =>
        Path.Combine(Folder, "blobs", "sha256", digest["sha256:".Length..]);

    /// <summary>Stores a config and layers and a manifest that references them.</summary>
    public TestDescriptor AddImage(string platformTag, params byte[][] layers)
    {
        var config = AddBlob(
            OciConfigType,
            JsonSerializer.SerializeToUtf8Bytes(
                new
                {
                    architecture = "amd64",
                    os = "linux",
                    rootfs = new { type = "layers" },
                    tag = platformTag,
                }
            )
        );
        var layerDescriptors = layers.Select(layer => AddBlob(OciLayerType, layer)).ToList();
        return AddManifest(config, layerDescriptors);
    }

    /// <summary>Stores a manifest over existing descriptors.</summary>
    public TestDescriptor AddManifest(TestDescriptor config, IReadOnlyList<TestDescriptor> layers)
    {
        var manifest = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciManifestType,
            ["config"] = config.ToJsonObject(),
            ["layers"] = layers.Select(layer => layer.ToJsonObject()).ToList(),
        };
        return AddBlob(OciManifestType, JsonSerializer.SerializeToUtf8Bytes(manifest));
    }

    /// <summary>Stores an image index over manifests.</summary>
    public TestDescriptor AddIndex(params TestDescriptor[] manifests)
    {
        var index = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciIndexType,
            ["manifests"] = manifests.Select(manifest => manifest.ToJsonObject()).ToList(),
        };
        return AddBlob(OciIndexType, JsonSerializer.SerializeToUtf8Bytes(index));
    }

    /// <summary>Writes index.json listing the given manifests with optional ref names.</summary>
    public void WriteIndexJson(params (TestDescriptor Manifest, string? RefName)[] entries)
    {
        var index = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["manifests"] = entries
                .Select(entry =>
                {
                    var item = entry.Manifest.ToJsonObject();
                    if (entry.RefName is not null)
                    {
                        item["annotations"] = new Dictionary<string, string>
                        {
                            ["org.opencontainers.image.ref.name"] = entry.RefName,
                        };
                    }

                    return item;
                })
                .ToList(),
        };
        File.WriteAllBytes(
            Path.Combine(Folder, "index.json"),
            JsonSerializer.SerializeToUtf8Bytes(index)
        );
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
