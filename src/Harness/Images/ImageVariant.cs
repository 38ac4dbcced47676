namespace Harness.Images;

/// <summary>
/// How a workload image is packaged and pulled. Names follow the stargz project's benchmark:
/// <c>overlayfs</c> is the legacy gzip image pulled in full, the two eStargz variants are
/// pulled lazily, with and without prioritized files.
/// </summary>
public enum ImageVariant
{
    Overlayfs,
    EStargzNoopt,
    EStargz,
}
