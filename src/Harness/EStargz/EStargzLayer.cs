namespace Harness.EStargz;

/// <summary>
/// The result of a conversion: what a layer descriptor and image config need.
/// </summary>
/// <param name="Digest">"sha256:&lt;hex&gt;" of the compressed blob.</param>
/// <param name="Size">Size of the compressed blob in bytes.</param>
/// <param name="DiffId">"sha256:&lt;hex&gt;" of the blob's uncompressed tar stream.</param>
/// <param name="UncompressedSize">Size of that tar stream, for the uncompressed-size
/// annotation.</param>
/// <param name="TocDigest">"sha256:&lt;hex&gt;" of the TOC JSON, for the toc.digest
/// annotation.</param>
public sealed record EStargzLayer(
    string Digest,
    long Size,
    string DiffId,
    long UncompressedSize,
    string TocDigest
)
{
    /// <summary>Prioritized paths the layer did not contain (or whose parents it lacked).</summary>
    public IReadOnlyList<string> MissingPrioritizedFiles { get; init; } = [];

    /// <summary>Number of TOC entries, chunks and landmark included.</summary>
    public int TocEntryCount { get; init; }

    /// <summary>Blob offset of the gzip member holding the TOC.</summary>
    public long TocOffset { get; init; }

    /// <summary>The layer descriptor annotations that mark the blob as eStargz.</summary>
    public IReadOnlyDictionary<string, string> Annotations =>
        new Dictionary<string, string>
        {
            [EStargzFormat.TocDigestAnnotation] = TocDigest,
            [EStargzFormat.UncompressedSizeAnnotation] = UncompressedSize.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            ),
        };
}
