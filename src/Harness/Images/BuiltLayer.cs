using Harness.Registry;

namespace Harness.Images;

/// <summary>A compressed layer blob on disk, ready to go into an image layout.</summary>
/// <param name="Descriptor">Descriptor of the compressed blob, with its annotations.</param>
/// <param name="DiffId">Digest of the uncompressed tar, listed in the config's diff_ids.</param>
/// <param name="UncompressedSize">Length of the uncompressed tar in bytes.</param>
/// <param name="BlobPath">File with the compressed bytes.</param>
/// <param name="CreatedBy">What made the layer, for the config's history.</param>
public sealed record BuiltLayer(
    OciDescriptor Descriptor,
    string DiffId,
    long UncompressedSize,
    string BlobPath,
    string CreatedBy
);
