using System.IO.Compression;
using System.Security.Cryptography;

namespace Harness.EStargz;

/// <summary>
/// Compresses each member of a batch as a separate gzip member (RFC 1952), which estargz.md
/// requires at the start of every file's data and chunk, and digests the chunks.
/// </summary>
internal static class MemberCompressor
{
    /// <summary>Compresses a completed batch; the result owns <paramref name="batch"/>.</summary>
    public static CompressedBatch Compress(MemberBatch batch, int level)
    {
        var options = new ZLibCompressionOptions { CompressionLevel = level };
        var uncompressed = batch.Uncompressed;
        var members = batch.Members;
        var lengths = new int[members.Count];
        var digests = new string?[members.Count];

        var compressed = new SegmentedBuffer();
        try
        {
            for (var i = 0; i < members.Count; i++)
            {
                var member = members[i];
                var data = uncompressed.Slice(member.Start, member.Length);
                var before = compressed.Length;
                using (var gzip = new GZipStream(compressed, options, leaveOpen: true))
                {
                    gzip.Write(data);
                }

                lengths[i] = (int)(compressed.Length - before);
                if (member.ChunkEntry is not null)
                {
                    digests[i] = TocJson.FormatDigest(SHA256.HashData(data[..member.ChunkLength]));
                }
            }
        }
        catch
        {
            compressed.Dispose();
            batch.Dispose();
            throw;
        }

        return new CompressedBatch(batch, compressed, lengths, digests);
    }
}
