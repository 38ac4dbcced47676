using System.Text.Json;

namespace Harness.Registry;

/// <summary>
/// A content descriptor (OCI image specification, descriptor.md): media type, digest and size
/// of a blob or manifest, plus the optional URLs of non-distributable content and annotations.
/// </summary>
public sealed record OciDescriptor(
    string MediaType,
    string Digest,
    long Size,
    IReadOnlyList<string> Urls,
    IReadOnlyDictionary<string, string> Annotations
)
{
    /// <summary>Annotation naming a manifest inside an image layout's <c>index.json</c>.
    /// </summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>Reads a descriptor object, throwing <see cref="HarnessException"/> that names
    /// <paramref name="where"/> when a required field is missing or invalid.</summary>
    public static OciDescriptor FromJson(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new HarnessException(
                $"{where}: found {element.ValueKind} where a descriptor object was expected."
            );
        }

        var digest = ReadString(element, "digest")
            ?? throw new HarnessException($"{where}: the descriptor has no 'digest'.");
        var fault = ContentDigest.Validate(digest);
        if (fault is not null)
        {
            throw new HarnessException($"{where}: digest '{digest}' is invalid: {fault}");
        }

        if (
            !element.TryGetProperty("size", out var sizeElement)
            || !sizeElement.TryGetInt64(out var size)
            || size < 0
        )
        {
            throw new HarnessException(
                $"{where}: descriptor {digest} has no valid 'size'; expected a non-negative "
                    + "integer byte count."
            );
        }

        var urls = new List<string>();
        if (
            element.TryGetProperty("urls", out var urlsElement)
            && urlsElement.ValueKind == JsonValueKind.Array
        )
        {
            urls.AddRange(
                urlsElement
                    .EnumerateArray()
                    .Where(url => url.ValueKind == JsonValueKind.String)
                    .Select(url => url.GetString()!)
            );
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (
            element.TryGetProperty("annotations", out var annotationsElement)
            && annotationsElement.ValueKind == JsonValueKind.Object
        )
        {
            foreach (var property in annotationsElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    annotations[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return new OciDescriptor(
            ReadString(element, "mediaType") ?? "",
            digest,
            size,
            urls,
            annotations
        );
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
