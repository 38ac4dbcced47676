namespace Harness.Images;

/// <summary>Reference to a blob by media type, digest and size (OCI image spec,
/// descriptor.md).</summary>
public sealed record OciDescriptor(
    string MediaType,
    string Digest,
    long Size,
    IReadOnlyDictionary<string, string>? Annotations = null);
