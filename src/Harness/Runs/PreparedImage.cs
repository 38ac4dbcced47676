using Harness.Images;

namespace Harness.Runs;

/// <summary>A workload image variant that is in the node's registry, pinned by digest.</summary>
public sealed record PreparedImage(
    string Workload,
    ImageVariant Variant,
    string ManifestDigest,
    long CompressedBytes,
    string LargestLayerDigest
);
