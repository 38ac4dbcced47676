using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Harness.Registry;
using Harness.Workloads;

namespace Harness.Images;

/// <summary>
/// Writes an OCI image layout (image-spec v1.1, image-layout.md): the <c>oci-layout</c> marker,
/// <c>index.json</c> naming one image manifest, and content-addressed blobs for the manifest,
/// the config and the layers.
/// </summary>
public static class OciImageWriter
{
    /// <summary>Environment PATH of the image when the workload does not set one: the default
    /// of Debian's login shells and of Docker's official Debian images.</summary>
    public const string DefaultPath =
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Writes the layout into the empty or missing folder <paramref name="layoutPath"/>, moving
    /// the layer blobs into it, and returns the descriptors it wrote.
    /// </summary>
    public static async Task<WrittenImageLayout> WriteAsync(
        string layoutPath,
        IReadOnlyList<BuiltLayer> layers,
        WorkloadManifest workload,
        string referenceName,
        CancellationToken cancellationToken
    )
    {
        if (Directory.Exists(layoutPath) && Directory.EnumerateFileSystemEntries(layoutPath).Any())
        {
            throw new InvalidOperationException(
                $"The image layout folder {layoutPath} is not empty."
            );
        }

        var blobs = Path.Combine(layoutPath, "blobs", "sha256");
        Directory.CreateDirectory(blobs);

        foreach (var layer in layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = BlobPath(layoutPath, layer.Descriptor.Digest);
            if (!File.Exists(target))
            {
                File.Move(layer.BlobPath, target);
            }
        }

        var config = await WriteBlobAsync(
            layoutPath,
            OciMediaTypes.ImageConfig,
            FormatConfig(layers, workload),
            cancellationToken
        );
        var manifest = await WriteBlobAsync(
            layoutPath,
            OciMediaTypes.ImageManifest,
            FormatManifest(config, layers),
            cancellationToken
        );
        var indexEntry = manifest with
        {
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [OciMediaTypes.ReferenceNameAnnotation] = referenceName,
            },
        };

        await File.WriteAllBytesAsync(
            Path.Combine(layoutPath, "index.json"),
            FormatIndex(indexEntry),
            cancellationToken
        );

        // Written last: a layout with this marker is complete.
        await File.WriteAllTextAsync(
            Path.Combine(layoutPath, "oci-layout"),
            $"{{\"imageLayoutVersion\":\"{OciMediaTypes.ImageLayoutVersion}\"}}",
            cancellationToken
        );
        return new WrittenImageLayout(
            layoutPath,
            manifest,
            config,
            layers.Select(layer => layer.Descriptor).ToList()
        );
    }

    /// <summary>Path of the blob with <paramref name="digest"/> inside a layout.</summary>
    public static string BlobPath(string layoutPath, string digest)
    {
        const string Prefix = "sha256:";
        if (!digest.StartsWith(Prefix, StringComparison.Ordinal) || digest.Length != 71)
        {
            throw new ArgumentException(
                $"Expected a digest of the form sha256:<64 hex digits>, found \"{digest}\".",
                nameof(digest)
            );
        }

        return Path.Combine(layoutPath, "blobs", "sha256", digest[Prefix.Length..]);
    }

    /// <summary>Builds the config's Env list: PATH first, then the workload's variables sorted by
    /// name.</summary>
    public static IReadOnlyList<string> EnvironmentOf(WorkloadManifest workload)
    {
        var variables = new List<string>();
        if (!workload.Environment.ContainsKey("PATH"))
        {
            variables.Add("PATH=" + DefaultPath);
        }

        variables.AddRange(
            workload
                .Environment.OrderBy(variable => variable.Key, StringComparer.Ordinal)
                .Select(variable => $"{variable.Key}={variable.Value}")
        );
        return variables;
    }

    private static async Task<OciDescriptor> WriteBlobAsync(
        string layoutPath,
        string mediaType,
        byte[] content,
        CancellationToken cancellationToken
    )
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllBytesAsync(BlobPath(layoutPath, digest), content, cancellationToken);
        return new OciDescriptor(
            mediaType,
            digest,
            content.Length,
            [],
            new Dictionary<string, string>()
        );
    }

    // config.md: architecture, os, config (Entrypoint, Env, WorkingDir), rootfs with the
    // uncompressed layer digests, and one history entry per layer.
    private static byte[] FormatConfig(IReadOnlyList<BuiltLayer> layers, WorkloadManifest workload)
    {
        var created = TarLayerWriter.EntryTime.UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH:mm:ss'Z'",
            CultureInfo.InvariantCulture
        );
        return WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("created", created);
            writer.WriteString("architecture", "amd64");
            writer.WriteString("os", "linux");

            writer.WriteStartObject("config");
            WriteStringArray(writer, "Env", EnvironmentOf(workload));
            WriteStringArray(writer, "Entrypoint", workload.Entrypoint);
            writer.WriteString("WorkingDir", workload.WorkingDirectory);
            writer.WriteEndObject();

            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            WriteStringArray(writer, "diff_ids", layers.Select(layer => layer.DiffId).ToList());
            writer.WriteEndObject();

            writer.WriteStartArray("history");
            foreach (var layer in layers)
            {
                writer.WriteStartObject();
                writer.WriteString("created", created);
                writer.WriteString("created_by", layer.CreatedBy);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    // manifest.md: schemaVersion 2, the manifest media type, the config and the layers.
    private static byte[] FormatManifest(OciDescriptor config, IReadOnlyList<BuiltLayer> layers) =>
        WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciMediaTypes.ImageManifest);
            WriteDescriptor(writer, "config", config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(writer, null, layer.Descriptor);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    // image-index.md: schemaVersion 2, the index media type, and the manifest with its
    // platform and reference name.
    private static byte[] FormatIndex(OciDescriptor manifest) =>
        WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciMediaTypes.ImageIndex);
            writer.WriteStartArray("manifests");
            WriteDescriptor(writer, null, manifest, writePlatform: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static void WriteDescriptor(
        Utf8JsonWriter writer,
        string? name,
        OciDescriptor descriptor,
        bool writePlatform = false
    )
    {
        if (name is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(name);
        }

        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.Annotations is { Count: > 0 } annotations)
        {
            writer.WriteStartObject("annotations");
            var sorted = annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal);
            foreach (var (key, value) in sorted)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        if (writePlatform)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("architecture", "amd64");
            writer.WriteString("os", "linux");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteStringArray(
        Utf8JsonWriter writer,
        string name,
        IReadOnlyList<string> values
    )
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (
            var writer = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions
                {
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }
            )
        )
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
