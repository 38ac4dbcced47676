using System.Security.Cryptography;

namespace Harness.Registry;

/// <summary>
/// Content digests as the OCI image specification writes them, <c>algorithm:hex</c>. Only the
/// registered algorithms sha256 (64 hex digits) and sha512 (128) are accepted, in lower case.
/// </summary>
public static class ContentDigest
{
    /// <summary>Prefix of SHA-256 digests, the algorithm every registry supports.</summary>
    public const string Sha256Prefix = "sha256:";

    private const string Sha512Prefix = "sha512:";

    /// <summary>Returns why a digest is invalid, or null when it is valid.</summary>
    public static string? Validate(string digest)
    {
        var colon = digest.IndexOf(':');
        if (colon <= 0)
        {
            return "expected algorithm:hex, such as sha256: followed by 64 hex digits.";
        }

        var algorithm = digest[..colon];
        var hex = digest[(colon + 1)..];
        var expectedLength = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => 0,
        };
        if (expectedLength == 0)
        {
            return $"algorithm '{algorithm}' is not supported; expected sha256 or sha512.";
        }

        if (hex.Length != expectedLength || !hex.All(char.IsAsciiHexDigitLower))
        {
            return $"expected {expectedLength} lower-case hex digits after '{algorithm}:', "
                + $"found '{hex}'.";
        }

        return null;
    }

    /// <summary>Computes the SHA-256 digest of bytes.</summary>
    public static string ComputeSha256(ReadOnlySpan<byte> content) =>
        Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Computes the digest of bytes with the algorithm that another digest uses.
    /// </summary>
    public static string ComputeLike(string digest, ReadOnlySpan<byte> content) =>
        digest.StartsWith(Sha512Prefix, StringComparison.Ordinal)
            ? Sha512Prefix + Convert.ToHexStringLower(SHA512.HashData(content))
            : ComputeSha256(content);

    /// <summary>Creates an incremental hash for the algorithm that a digest uses.</summary>
    public static IncrementalHash CreateHashLike(string digest) =>
        IncrementalHash.CreateHash(
            digest.StartsWith(Sha512Prefix, StringComparison.Ordinal)
                ? HashAlgorithmName.SHA512
                : HashAlgorithmName.SHA256
        );

    /// <summary>Formats a finished incremental hash as a digest with the same algorithm as
    /// <paramref name="likeDigest"/>.</summary>
    public static string Finish(IncrementalHash hash, string likeDigest)
    {
        var prefix = likeDigest.StartsWith(Sha512Prefix, StringComparison.Ordinal)
            ? Sha512Prefix
            : Sha256Prefix;
        return prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Shortens a digest for log lines: algorithm and the first 12 hex digits.</summary>
    public static string Abbreviate(string digest)
    {
        var colon = digest.IndexOf(':');
        return colon >= 0 && digest.Length > colon + 13 ? digest[..(colon + 13)] : digest;
    }
}
