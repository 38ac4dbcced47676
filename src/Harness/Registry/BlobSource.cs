namespace Harness.Registry;

/// <summary>
/// Content to upload as a blob: its digest, its size in bytes, and a way to open it for
/// reading. Opening again restarts from the first byte, so a request can be sent again after
/// an authentication challenge without holding the blob in memory.
/// </summary>
public sealed record BlobSource(string Digest, long Size, Func<Stream> OpenRead)
{
    /// <summary>Describes a file whose digest is already known (as in an OCI layout).
    /// </summary>
    public static BlobSource FromFile(string path, string digest)
    {
        var size = new FileInfo(path).Length;
        return new BlobSource(digest, size, () =>
            new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.Read,
                bufferSize: 1,
                FileOptions.Asynchronous | FileOptions.SequentialScan
            )
        );
    }

    /// <summary>Describes bytes in memory, computing their SHA-256 digest.</summary>
    public static BlobSource FromBytes(byte[] content) =>
        new(ContentDigest.ComputeSha256(content), content.Length, () =>
            new MemoryStream(content, writable: false)
        );
}
