using System.Net;
using System.Text.Json;

namespace Harness.Registry;

/// <summary>
/// Reads the error body that the distribution specification defines for failed requests and
/// picks a next step for the user from the status code and error codes.
/// </summary>
internal static class RegistryErrorParser
{
    // Detail values and bodies that are not JSON are cut to this many characters, enough for a
    // digest or a one-line proxy message.
    private const int MaxQuotedLength = 300;

    /// <summary>Parses <c>{"errors": [...]}</c>; returns no entries for any other body.</summary>
    public static IReadOnlyList<RegistryError> Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (
                document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array
            )
            {
                return [];
            }

            var result = new List<RegistryError>();
            foreach (var entry in errors.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var code = ReadString(entry, "code") ?? "UNKNOWN";
                var message = ReadString(entry, "message") ?? "";
                string? detail = null;
                if (
                    entry.TryGetProperty("detail", out var detailElement)
                    && detailElement.ValueKind
                        is not (JsonValueKind.Null or JsonValueKind.Undefined)
                )
                {
                    detail =
                        detailElement.ValueKind == JsonValueKind.String
                            ? detailElement.GetString()
                            : detailElement.GetRawText();
                    detail = Shorten(detail ?? "");
                }

                result.Add(new RegistryError(code, message, detail));
            }

            return result;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Returns a body that is not an error document as one short line, or null.
    /// </summary>
    public static string? DescribeUnparsedBody(string body, IReadOnlyList<RegistryError> errors)
    {
        if (errors.Count > 0 || string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        return Shorten(
            string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        );
    }

    /// <summary>Picks what the user should do next after a failed request.</summary>
    public static string SuggestNextStep(
        HttpStatusCode? status,
        IReadOnlyList<RegistryError> errors,
        string registry
    )
    {
        bool Has(string code) => errors.Any(error => error.Code == code);

        if (Has("MANIFEST_BLOB_UNKNOWN"))
        {
            return "push every blob the manifest references (config and layers) before the "
                + "manifest itself.";
        }

        if (Has("DIGEST_INVALID") || Has("SIZE_INVALID"))
        {
            return "the content does not match its descriptor; rebuild the image so that "
                + "digests and sizes are written from the actual bytes.";
        }

        if (Has("MANIFEST_INVALID") || Has("MANIFEST_UNVERIFIED"))
        {
            return "check the manifest JSON and its media type against the OCI image "
                + "specification.";
        }

        if (Has("NAME_INVALID"))
        {
            return "use a repository name of lower-case letters, digits and separators.";
        }

        return status switch
        {
            HttpStatusCode.Unauthorized =>
                $"log in with 'docker login {registry}' (the harness reads the Docker config "
                    + "file), or check the credentials stored there.",
            HttpStatusCode.Forbidden =>
                "the account is authenticated but not allowed this operation; check its "
                    + "access to the repository.",
            HttpStatusCode.NotFound =>
                "check the repository name, tag and digest; the registry does not have them.",
            HttpStatusCode.MethodNotAllowed =>
                "the registry does not allow this operation (it may be read-only or a "
                    + "pull-through cache); push to another registry.",
            HttpStatusCode.RequestedRangeNotSatisfiable =>
                "the upload went out of step with the registry; retry the push.",
            HttpStatusCode.RequestEntityTooLarge =>
                "the request body is too large for the registry or a proxy in front of it; "
                    + "lower the upload chunk size.",
            HttpStatusCode.TooManyRequests =>
                "the registry is rate-limiting this client; wait and retry.",
            null => $"check that the registry {registry} is running and reachable.",
            >= HttpStatusCode.InternalServerError =>
                "the registry failed internally; check its log and retry.",
            _ => "check the request against the registry's documentation and its log.",
        };
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Shorten(string text) =>
        text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength] + "…";
}
