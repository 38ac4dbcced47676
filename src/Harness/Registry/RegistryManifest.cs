namespace Harness.Registry;

/// <summary>A manifest's bytes exactly as stored, its media type and its digest.</summary>
public sealed record RegistryManifest(string MediaType, string Digest, byte[] Content)
{
    /// <summary>Creates a manifest from bytes, computing their SHA-256 digest.</summary>
    public static RegistryManifest FromBytes(string mediaType, byte[] content) =>
        new(mediaType, ContentDigest.ComputeSha256(content), content);
}
