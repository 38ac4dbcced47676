namespace Harness.EStargz;

public sealed record EStargzLayer(
    string Digest, long Size, string DiffId, long UncompressedSize, string TocDigest);
