using Harness.Registry;

namespace Harness.Images;

/// <summary>One layer of a built image variant.</summary>
/// <param name="Descriptor">Descriptor of the compressed blob, as in the manifest.</param>
/// <param name="DiffId">Digest of the uncompressed layer, as in the config.</param>
/// <param name="UncompressedSize">Length of the uncompressed layer in bytes.</param>
/// <param name="EntryCount">Number of entries in the source tar (files, folders, links,
/// whiteouts), before any eStargz landmark or TOC entries.</param>
/// <param name="PrioritizedFileCount">Files placed first for prefetching, 0 unless the
/// variant is the optimized eStargz one.</param>
/// <param name="CreatedBy">What made the layer.</param>
public sealed record ImageLayerSummary(
    OciDescriptor Descriptor,
    string DiffId,
    long UncompressedSize,
    int EntryCount,
    int PrioritizedFileCount,
    string CreatedBy
);
