using System.IO.Compression;
using System.Security.Cryptography;

namespace Harness.EStargz;

/// <summary>
/// Opens an eStargz blob: parses the footer and the TOC, lists the entries, and verifies the
/// TOC digest and every chunk digest. Format errors raise <see cref="InvalidDataException"/>
/// saying what was expected and what was found.
/// </summary>
public sealed class EStargzReader : IDisposable
{
    /// <summary>
    /// Largest compressed TOC member read into memory. By estimate, a TOC of a million entries
    /// (about 300 bytes of JSON each) compresses to well under this.
    /// </summary>
    private const long MaxTocMemberBytes = 512L * 1024 * 1024;

    private readonly Stream _blob;
    private readonly bool _leaveOpen;

    private EStargzReader(
        Stream blob,
        bool leaveOpen,
        long tocOffset,
        int footerSize,
        TocDocument toc,
        string tocDigest
    )
    {
        _blob = blob;
        _leaveOpen = leaveOpen;
        TocOffset = tocOffset;
        FooterSize = footerSize;
        Toc = toc;
        TocDigest = tocDigest;
    }

    /// <summary>Size of the blob in bytes.</summary>
    public long BlobSize => _blob.Length;

    /// <summary>Blob offset of the gzip member holding the TOC, as the footer records it.</summary>
    public long TocOffset { get; }

    /// <summary>51 for an eStargz footer, 47 for a legacy stargz one.</summary>
    public int FooterSize { get; }

    /// <summary>The parsed TOC.</summary>
    public TocDocument Toc { get; }

    /// <summary>The TOC entries in blob order, names as stored.</summary>
    public IReadOnlyList<TocEntry> Entries => Toc.Entries;

    /// <summary>"sha256:&lt;hex&gt;" of the uncompressed TOC JSON.</summary>
    public string TocDigest { get; }

    /// <summary>Opens the blob file at <paramref name="path"/>.</summary>
    public static EStargzReader Open(string path)
    {
        var stream = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            bufferSize: 64 * 1024
        );
        try
        {
            return Open(stream, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a blob from a seekable stream holding exactly the blob.</summary>
    public static EStargzReader Open(Stream blob, bool leaveOpen)
    {
        if (!blob.CanSeek)
        {
            throw new ArgumentException("The blob stream must be seekable.", nameof(blob));
        }

        var tailLength = (int)Math.Min(blob.Length, EStargzFormat.FooterSize);
        if (tailLength < EStargzFormat.LegacyFooterSize)
        {
            throw new InvalidDataException(
                $"expected at least {EStargzFormat.FooterSize} bytes (the eStargz footer), "
                    + $"found a blob of {blob.Length} bytes. The blob is truncated or not eStargz."
            );
        }

        var tail = new byte[tailLength];
        blob.Position = blob.Length - tailLength;
        blob.ReadExactly(tail);
        var (tocOffset, footerSize) = EStargzFooter.Parse(tail);
        var tocEnd = blob.Length - footerSize;
        if (tocOffset >= tocEnd)
        {
            throw new InvalidDataException(
                $"the footer gives TOC offset {tocOffset}, expected an offset below {tocEnd} "
                    + $"(the start of the footer in a blob of {blob.Length} bytes). The blob is "
                    + "truncated or the footer is corrupt."
            );
        }

        if (tocEnd - tocOffset > MaxTocMemberBytes)
        {
            throw new InvalidDataException(
                $"the TOC member at offset {tocOffset} would be {tocEnd - tocOffset} bytes; "
                    + $"expected at most {MaxTocMemberBytes}. The footer is likely corrupt."
            );
        }

        var tocMember = new byte[tocEnd - tocOffset];
        blob.Position = tocOffset;
        blob.ReadExactly(tocMember);
        var (toc, digest) = ReadToc(tocMember, tocOffset);
        ValidateEntries(toc, tocOffset);
        return new EStargzReader(blob, leaveOpen, tocOffset, footerSize, toc, digest);
    }

    /// <summary>Throws when the TOC digest is not <paramref name="expectedDigest"/>.</summary>
    public void VerifyTocDigest(string expectedDigest)
    {
        if (!string.Equals(expectedDigest, TocDigest, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"TOC digest mismatch: expected {expectedDigest}, found {TocDigest}. The blob "
                    + "does not match the layer's toc.digest annotation."
            );
        }
    }

    /// <summary>
    /// Decompresses every chunk and checks it against its chunk digest, and each file against
    /// its file digest. Returns the number of chunks read.
    /// </summary>
    public async Task<int> VerifyChunksAsync(CancellationToken cancellationToken)
    {
        var chunks = 0;
        var buffer = new byte[64 * 1024];
        TocEntry? file = null;
        IncrementalHash? fileHash = null;
        try
        {
            foreach (var entry in Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.Type == TocEntryType.Regular)
                {
                    FinishFile(file, fileHash);
                    file = entry;
                    fileHash?.Dispose();
                    fileHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                }

                if (!entry.HasData)
                {
                    continue;
                }

                var length = ChunkLength(entry, file!);
                using var chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var data = OpenMember(entry.Offset))
                {
                    for (long remaining = length; remaining > 0; )
                    {
                        var read = await data.ReadAsync(
                            buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)),
                            cancellationToken
                        );
                        if (read == 0)
                        {
                            throw new InvalidDataException(
                                $"the chunk of '{file!.Name}' at file offset {entry.ChunkOffset} "
                                    + $"(gzip member at blob offset {entry.Offset}) ends after "
                                    + $"{length - remaining} bytes; expected {length}."
                            );
                        }

                        chunkHash.AppendData(buffer, 0, read);
                        fileHash!.AppendData(buffer, 0, read);
                        remaining -= read;
                    }
                }

                var found = TocJson.FormatDigest(chunkHash.GetHashAndReset());
                if (entry.ChunkDigest is not null && found != entry.ChunkDigest)
                {
                    throw new InvalidDataException(
                        $"chunk digest mismatch in '{file!.Name}' at file offset "
                            + $"{entry.ChunkOffset} (blob offset {entry.Offset}): expected "
                            + $"{entry.ChunkDigest}, found {found}."
                    );
                }

                chunks++;
            }

            FinishFile(file, fileHash);
        }
        finally
        {
            fileHash?.Dispose();
        }

        return chunks;
    }

    /// <summary>Returns a stream of the uncompressed data that starts at a member offset.</summary>
    public Stream OpenMember(long offset)
    {
        _blob.Position = offset;
        return new GZipStream(_blob, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>Returns the uncompressed size of a "reg" or "chunk" entry's chunk.</summary>
    public static long ChunkLength(TocEntry entry, TocEntry file) =>
        entry.ChunkSize > 0 ? entry.ChunkSize : file.Size - entry.ChunkOffset;

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _blob.Dispose();
        }
    }

    private static void FinishFile(TocEntry? file, IncrementalHash? fileHash)
    {
        if (file is null || fileHash is null || file.Size == 0 || file.Digest is null)
        {
            return;
        }

        var found = TocJson.FormatDigest(fileHash.GetHashAndReset());
        if (found != file.Digest)
        {
            throw new InvalidDataException(
                $"file digest mismatch for '{file.Name}': expected {file.Digest}, found {found}."
            );
        }
    }

    private static (TocDocument Toc, string Digest) ReadToc(byte[] tocMember, long tocOffset)
    {
        try
        {
            using var gzip = new GZipStream(
                new MemoryStream(tocMember),
                CompressionMode.Decompress
            );
            var reader = new TarHeaderReader(gzip, $"TOC member at offset {tocOffset}");
            var header = reader.ReadNext()
                ?? throw new InvalidDataException(
                    $"the TOC member at offset {tocOffset} holds no tar entry; expected "
                        + $"{EStargzFormat.TocTarName}."
                );
            if (header.Name != EStargzFormat.TocTarName)
            {
                throw new InvalidDataException(
                    $"the tar entry at TOC offset {tocOffset} is '{header.Name}'; expected "
                        + $"{EStargzFormat.TocTarName}. The footer points at the wrong place."
                );
            }

            if (header.Size > int.MaxValue)
            {
                throw new InvalidDataException(
                    $"{EStargzFormat.TocTarName} declares {header.Size} bytes; expected at "
                        + $"most {int.MaxValue}."
                );
            }

            var json = new byte[header.Size];
            gzip.ReadExactly(json);
            return (TocJson.Deserialize(json), TocJson.Sha256Digest(json));
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException(
                $"the TOC member at offset {tocOffset} ends before the TOC JSON does. The blob "
                    + "is truncated or the footer is corrupt.",
                exception
            );
        }
        catch (InvalidDataException exception) when (exception.Source == "System.IO.Compression")
        {
            throw new InvalidDataException(
                $"the bytes at TOC offset {tocOffset} are not a valid gzip member: "
                    + $"{exception.Message} The blob is truncated or the footer is corrupt.",
                exception
            );
        }
    }

    private static void ValidateEntries(TocDocument toc, long tocOffset)
    {
        TocEntry? file = null;
        foreach (var entry in toc.Entries)
        {
            if (entry.Type == TocEntryType.Regular)
            {
                file = entry;
            }

            if (!entry.HasData)
            {
                continue;
            }

            if (entry.Type == TocEntryType.Chunk && file is null)
            {
                throw new InvalidDataException(
                    $"the TOC has a chunk of '{entry.Name}' before any regular file; expected "
                        + "every chunk to follow its file's \"reg\" entry."
                );
            }

            if (entry.Offset <= 0 || entry.Offset >= tocOffset)
            {
                throw new InvalidDataException(
                    $"the TOC entry '{entry.Name}' ({entry.Type}) has offset {entry.Offset}; "
                        + $"expected an offset between 1 and {tocOffset - 1}, before the TOC."
                );
            }

            // Legacy stargz has no chunk digests. Such a file is checked against its file
            // digest instead, so it must be a single chunk, as the Go library also requires.
            if (
                entry.ChunkDigest is null
                && (
                    entry.Type == TocEntryType.Chunk
                    || entry.Digest is null
                    || (entry.ChunkSize > 0 && entry.ChunkSize < entry.Size)
                )
            )
            {
                throw new InvalidDataException(
                    $"the TOC entry '{entry.Name}' ({entry.Type}) at offset {entry.Offset} has "
                        + "no chunkDigest; eStargz requires one for every non-empty file and chunk."
                );
            }
        }
    }
}
