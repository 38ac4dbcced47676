using System.Text.Json;

namespace Harness.Registry;

/// <summary>
/// An image stored in an OCI image layout folder (OCI image specification, image-layout.md):
/// an <c>oci-layout</c> file, an <c>index.json</c> listing manifests, and content under
/// <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>.
/// </summary>
public sealed class OciImageLayout
{
    // Same limit as registries apply to manifests; a bigger one could not be pushed anyway.
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private OciImageLayout(string path, IReadOnlyList<OciDescriptor> manifests)
    {
        Path = path;
        Manifests = manifests;
    }

    /// <summary>Layout folder.</summary>
    public string Path { get; }

    /// <summary>Descriptors listed in <c>index.json</c>.</summary>
    public IReadOnlyList<OciDescriptor> Manifests { get; }

    /// <summary>Opens a layout folder, checking <c>oci-layout</c> and reading
    /// <c>index.json</c>.</summary>
    public static OciImageLayout Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new HarnessException(
                $"OCI image layout folder {full} does not exist. Build the image first, or "
                    + "pass the folder that contains oci-layout and index.json."
            );
        }

        var markerPath = System.IO.Path.Combine(full, "oci-layout");
        if (!File.Exists(markerPath))
        {
            throw new HarnessException(
                $"{full} is not an OCI image layout: it has no oci-layout file. Pass the "
                    + "folder that contains oci-layout, index.json and blobs/."
            );
        }

        using (var marker = ParseJson(markerPath))
        {
            var version =
                marker.RootElement.ValueKind == JsonValueKind.Object
                && marker.RootElement.TryGetProperty("imageLayoutVersion", out var value)
                && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
            {
                throw new HarnessException(
                    $"{markerPath} has imageLayoutVersion '{version ?? "(none)"}'; expected "
                        + "1.0.0 or another 1.x version."
                );
            }
        }

        var indexPath = System.IO.Path.Combine(full, "index.json");
        if (!File.Exists(indexPath))
        {
            throw new HarnessException(
                $"OCI image layout {full} has no index.json; the image was not written out "
                    + "completely. Build it again."
            );
        }

        using var index = ParseJson(indexPath);
        if (
            index.RootElement.ValueKind != JsonValueKind.Object
            || !index.RootElement.TryGetProperty("manifests", out var manifests)
            || manifests.ValueKind != JsonValueKind.Array
        )
        {
            throw new HarnessException(
                $"{indexPath} has no 'manifests' array; expected an OCI image index."
            );
        }

        var descriptors = manifests
            .EnumerateArray()
            .Select(
                (element, position) =>
                    OciDescriptor.FromJson(element, $"{indexPath} manifests[{position}]")
            )
            .ToList();
        return new OciImageLayout(full, descriptors);
    }

    /// <summary>Returns the file path of a blob; the file may not exist.</summary>
    public string GetBlobPath(string digest)
    {
        var colon = digest.IndexOf(':');
        return System.IO.Path.Combine(Path, "blobs", digest[..colon], digest[(colon + 1)..]);
    }

    /// <summary>Reads a manifest or index blob, checking its size and digest against the
    /// descriptor.</summary>
    public byte[] ReadManifest(OciDescriptor descriptor)
    {
        var path = GetBlobPath(descriptor.Digest);
        if (!File.Exists(path))
        {
            throw new HarnessException(
                $"Manifest {descriptor.Digest} is missing from the OCI image layout {Path} "
                    + $"(expected {path}). Build the image again."
            );
        }

        if (descriptor.Size > MaxManifestBytes)
        {
            throw new HarnessException(
                $"Manifest {descriptor.Digest} in {Path} is {descriptor.Size} bytes; "
                    + $"registries accept at most {MaxManifestBytes}."
            );
        }

        var content = File.ReadAllBytes(path);
        if (content.Length != descriptor.Size)
        {
            throw new HarnessException(
                $"Manifest {path} is {content.Length} bytes, but its descriptor says "
                    + $"{descriptor.Size}. The layout is corrupt; build the image again."
            );
        }

        var digest = ContentDigest.ComputeLike(descriptor.Digest, content);
        if (digest != descriptor.Digest)
        {
            throw new HarnessException(
                $"Manifest {path} has digest {digest}, but its descriptor says "
                    + $"{descriptor.Digest}. The layout is corrupt; build the image again."
            );
        }

        return content;
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new HarnessException(
                $"{path} is not valid JSON (line {exception.LineNumber + 1}): "
                    + $"{exception.Message}",
                exception
            );
        }
    }
}
