using System.IO.Compression;
using System.Security.Cryptography;

namespace Harness.EStargz;

/// <summary>
/// Writes compressed batches to the output in blob order, fills in the offsets and digests of
/// the TOC entries they carry, and keeps the blob digest and DiffID as the bytes go by.
/// </summary>
internal sealed class BlobSink
{
    private readonly Stream _output;
    private readonly IncrementalHash _blobHash = IncrementalHash.CreateHash(
        HashAlgorithmName.SHA256
    );
    private readonly IncrementalHash _diffHash = IncrementalHash.CreateHash(
        HashAlgorithmName.SHA256
    );
    private string? _blobDigest;
    private string? _diffId;

    public BlobSink(Stream output)
    {
        _output = output;
    }

    /// <summary>Compressed bytes written so far.</summary>
    public long CompressedSize { get; private set; }

    /// <summary>Uncompressed (tar) bytes written so far.</summary>
    public long UncompressedSize { get; private set; }

    /// <summary>Blob offset of the TOC member, known once it is written.</summary>
    public long TocOffset { get; private set; }

    public string BlobDigest =>
        _blobDigest ?? throw new InvalidOperationException("Blob not finished.");

    public string DiffId => _diffId ?? throw new InvalidOperationException("Blob not finished.");

    /// <summary>Writes one batch and records where each of its chunks starts.</summary>
    public async Task WriteBatchAsync(CompressedBatch batch, CancellationToken cancellationToken)
    {
        var members = batch.Source.Members;
        var memberOffset = CompressedSize;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i].ChunkEntry is { } entry)
            {
                entry.Offset = memberOffset;
                entry.ChunkDigest = batch.ChunkDigests[i];

                // A file that fits in one chunk has the same digest for the file and the chunk.
                if (entry.Type == TocEntryType.Regular && entry.Size == members[i].ChunkLength)
                {
                    entry.Digest = entry.ChunkDigest;
                }
            }

            memberOffset += batch.MemberLengths[i];
        }

        _diffHash.AppendData(batch.Source.Uncompressed);
        UncompressedSize += batch.Source.Length;
        foreach (var segment in batch.Compressed.Segments)
        {
            await WriteAsync(segment, cancellationToken);
        }
    }

    /// <summary>
    /// Writes the TOC as the last tar entry in its own gzip member, followed by the two zero
    /// blocks that end the archive and by the footer. Returns the TOC digest.
    /// </summary>
    public async Task<string> WriteTocAndFooterAsync(
        TocDocument toc,
        int level,
        CancellationToken cancellationToken
    )
    {
        var json = TocJson.Serialize(toc);
        using var tocTar = new PooledBuffer(json.Length + 4 * TarFormat.BlockSize);
        TarHeaderWriter.Write(
            new TarEntryHeader
            {
                Name = EStargzFormat.TocTarName,
                TypeFlag = TarFormat.TypeRegular,
                Size = json.Length,
            },
            tocTar
        );
        json.CopyTo(tocTar.GetSpan(json.Length));
        tocTar.Advance(json.Length);
        TarHeaderWriter.WriteZeros(TarFormat.PaddingAfter(json.Length), tocTar);
        TarHeaderWriter.WriteZeros(2 * TarFormat.BlockSize, tocTar);

        using var compressed = new PooledBuffer(json.Length / 4 + 1024);
        await using (var output = compressed.AsStream())
        await using (
            var gzip = new GZipStream(
                output,
                new ZLibCompressionOptions { CompressionLevel = level },
                leaveOpen: true
            )
        )
        {
            gzip.Write(tocTar.WrittenSpan);
        }

        TocOffset = CompressedSize;
        _diffHash.AppendData(tocTar.WrittenSpan);
        UncompressedSize += tocTar.Length;
        await WriteAsync(compressed.WrittenMemory, cancellationToken);
        await WriteAsync(EStargzFooter.Create(TocOffset), cancellationToken);
        await _output.FlushAsync(cancellationToken);

        _blobDigest = TocJson.FormatDigest(_blobHash.GetHashAndReset());
        _diffId = TocJson.FormatDigest(_diffHash.GetHashAndReset());
        return TocJson.Sha256Digest(json);
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        _blobHash.AppendData(bytes.Span);
        await _output.WriteAsync(bytes, cancellationToken);
        CompressedSize += bytes.Length;
    }
}
