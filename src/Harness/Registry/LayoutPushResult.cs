namespace Harness.Registry;

/// <summary>
/// Outcome of pushing an image layout: the pushed reference with the manifest digest, and
/// how many blobs were already there, mounted or uploaded (with the uploaded bytes).
/// </summary>
public sealed record LayoutPushResult(
    ImageReference Reference,
    string Digest,
    string MediaType,
    int BlobsExisting,
    int BlobsMounted,
    int BlobsUploaded,
    long BytesUploaded
);
