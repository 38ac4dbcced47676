namespace Harness.EStargz;

/// <summary>
/// Names and sizes fixed by the eStargz specification (estargz.md, stargz-snapshotter 0.12.0).
/// </summary>
public static class EStargzFormat
{
    /// <summary>Name of the TOC, the last tar entry of the blob
    /// ("TOC, TOCEntries and Footer").</summary>
    public const string TocTarName = "stargz.index.json";

    /// <summary>Size of the eStargz footer: an empty gzip member carrying the TOC offset.</summary>
    public const int FooterSize = 51;

    /// <summary>Size of the footer of the older stargz format, which lacks the subfield
    /// header.</summary>
    public const int LegacyFooterSize = 47;

    /// <summary>Entry that ends the prioritized files
    /// ("Prioritized Files and Landmark Files").</summary>
    public const string PrefetchLandmark = ".prefetch.landmark";

    /// <summary>Entry at the start of a blob that has no prioritized files.</summary>
    public const string NoPrefetchLandmark = ".no.prefetch.landmark";

    /// <summary>Contents of both landmark files: the single byte 0x0f.</summary>
    public const byte LandmarkContents = 0x0f;

    /// <summary>Layer annotation holding the digest of the uncompressed TOC JSON.</summary>
    public const string TocDigestAnnotation = "containerd.io/snapshot/stargz/toc.digest";

    /// <summary>Layer annotation holding the size of the uncompressed layer tar.</summary>
    public const string UncompressedSizeAnnotation = "io.containers.estargz.uncompressed-size";

    /// <summary>The only TOC version the specification defines.</summary>
    public const int TocVersion = 1;
}
