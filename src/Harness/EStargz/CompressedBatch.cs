namespace Harness.EStargz;

/// <summary>
/// A batch after compression: the gzip members back to back, each member's compressed length,
/// and the SHA-256 digest of each chunk that starts a member.
/// </summary>
internal sealed class CompressedBatch : IDisposable
{
    public CompressedBatch(
        MemberBatch source,
        SegmentedBuffer compressed,
        int[] memberLengths,
        string?[] chunkDigests
    )
    {
        Source = source;
        Compressed = compressed;
        MemberLengths = memberLengths;
        ChunkDigests = chunkDigests;
    }

    /// <summary>The uncompressed batch, kept for the DiffID and released with this
    /// object.</summary>
    public MemberBatch Source { get; }

    public SegmentedBuffer Compressed { get; }

    public int[] MemberLengths { get; }

    public string?[] ChunkDigests { get; }

    public void Dispose()
    {
        Source.Dispose();
        Compressed.Dispose();
    }
}
