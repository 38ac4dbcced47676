using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Harness.EStargz;

/// <summary>
/// Serialises the TOC the way the Go library lays it out (tab indentation, one field a line),
/// and computes the TOC digest: the SHA-256 of the uncompressed JSON bytes.
/// </summary>
internal static class TocJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        NewLine = "\n",

        // Names are written as UTF-8 rather than \u escapes, which keeps the TOC readable;
        // either form decodes to the same string.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises the document to UTF-8 JSON without a trailing newline.</summary>
    public static byte[] Serialize(TocDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, Options);

    /// <summary>Parses TOC JSON; throws <see cref="InvalidDataException"/> when it is not a
    /// TOC.</summary>
    public static TocDocument Deserialize(ReadOnlySpan<byte> json)
    {
        TocDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<TocDocument>(json, Options);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException(
                $"{EStargzFormat.TocTarName} is not valid TOC JSON: {exception.Message}",
                exception
            );
        }

        if (document is null || document.Entries is null)
        {
            throw new InvalidDataException(
                $"{EStargzFormat.TocTarName} has no \"entries\" array; expected a TOC object "
                    + "with \"version\" and \"entries\"."
            );
        }

        return document;
    }

    /// <summary>Returns "sha256:&lt;hex&gt;" of the given bytes.</summary>
    public static string Sha256Digest(ReadOnlySpan<byte> bytes) =>
        FormatDigest(SHA256.HashData(bytes));

    /// <summary>Formats a raw SHA-256 hash as an OCI digest string.</summary>
    public static string FormatDigest(ReadOnlySpan<byte> hash) =>
        "sha256:" + Convert.ToHexStringLower(hash);
}
