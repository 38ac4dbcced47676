using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Harness.EStargz;

/// <summary>
/// Converts a tar layer (plain or gzip) to eStargz, compressing gzip members on several cores
/// while keeping memory bounded by a few batches of members, whatever the layer's size.
/// </summary>
public static class EStargzWriter
{
    /// <summary>Gzip members are gathered into batches of about this many bytes per task.</summary>
    internal const int BatchTargetBytes = 1024 * 1024;

    /// <summary>
    /// A member holding only headers (directories, links, empty files) is cut at this size.
    /// estargz.md requires gzip headers only at file data and the TOC, and readers find members
    /// through TOC offsets, so extra member boundaries are allowed. They keep a run of many
    /// thousand header-only entries from growing one member without bound.
    /// </summary>
    internal const int MemberSoftLimitBytes = 1024 * 1024;

    private static readonly string EmptyDigest = TocJson.Sha256Digest([]);

    /// <summary>
    /// Reads the tar layer from <paramref name="tarInput"/> and writes the eStargz blob to
    /// <paramref name="output"/>; throws <see cref="InvalidDataException"/> for input that is
    /// not a usable tar.
    /// </summary>
    public static async Task<EStargzLayer> ConvertAsync(
        Stream tarInput,
        Stream output,
        EStargzWriterOptions options,
        CancellationToken cancellationToken
    )
    {
        ValidateOptions(options);
        await using var source = await LayerSource.OpenAsync(tarInput, cancellationToken);
        var plan = await Task.Run(
            () =>
                LayerPlan.Read(
                    source.Tar,
                    "input layer",
                    options.PrioritizedFiles,
                    cancellationToken
                ),
            cancellationToken
        );

        var toc = new TocDocument();
        var parallelism = Math.Max(1, options.MaxDegreeOfParallelism);
        var pending = Channel.CreateBounded<Task<CompressedBatch>>(
            new BoundedChannelOptions(parallelism) { SingleReader = true, SingleWriter = true }
        );

        using var producerCancellation = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken
        );
        var producer = Task.Run(
            () =>
                ProduceAsync(
                    plan,
                    source.Tar,
                    toc,
                    options,
                    parallelism,
                    pending.Writer,
                    producerCancellation.Token
                ),
            producerCancellation.Token
        );

        var sink = new BlobSink(output);
        try
        {
            await foreach (var batchTask in pending.Reader.ReadAllAsync(cancellationToken))
            {
                using var batch = await batchTask;
                await sink.WriteBatchAsync(batch, cancellationToken);
            }

            await producer;
        }
        catch
        {
            await producerCancellation.CancelAsync();
            var producerFailure = await FailureOfAsync(producer);
            DrainAndRelease(pending.Reader);

            // A failure in the producer reaches this loop through the channel; report the
            // original exception (a bad tar, say) rather than its echo.
            if (producerFailure is not null and not OperationCanceledException)
            {
                ExceptionDispatchInfo.Throw(producerFailure);
            }

            throw;
        }

        var tocDigest = await sink.WriteTocAndFooterAsync(
            toc,
            options.CompressionLevel,
            cancellationToken
        );
        return new EStargzLayer(
            sink.BlobDigest,
            sink.CompressedSize,
            sink.DiffId,
            sink.UncompressedSize,
            tocDigest
        )
        {
            MissingPrioritizedFiles = plan.MissingPrioritizedFiles,
            TocEntryCount = toc.Entries.Count,
            TocOffset = sink.TocOffset,
        };
    }

    private static void ValidateOptions(EStargzWriterOptions options)
    {
        if (options.ChunkSize <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.ChunkSize,
                "ChunkSize must be a positive number of bytes."
            );
        }

        if (options.CompressionLevel is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.CompressionLevel,
                "CompressionLevel must be a gzip level from 0 to 9."
            );
        }
    }

    private static async Task<Exception?> FailureOfAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private static void DrainAndRelease(ChannelReader<Task<CompressedBatch>> reader)
    {
        while (reader.TryRead(out var task))
        {
            task.ContinueWith(
                static t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        t.Result.Dispose();
                    }
                },
                TaskScheduler.Default
            );
        }
    }

    /// <summary>
    /// Walks the planned entries, lays out the uncompressed tar stream, cuts it into gzip
    /// members and hands batches of members to compression tasks, in blob order.
    /// </summary>
    private static async Task ProduceAsync(
        LayerPlan plan,
        Stream tar,
        TocDocument toc,
        EStargzWriterOptions options,
        int parallelism,
        ChannelWriter<Task<CompressedBatch>> pending,
        CancellationToken cancellationToken
    )
    {
        using var slots = new SemaphoreSlim(parallelism);
        var layout = new MemberLayout(options.ChunkSize);
        try
        {
            var batch = new MemberBatch(2 * BatchTargetBytes);
            foreach (var header in plan.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // A full batch is handed off before the next header. The new batch starts a
                // new member too, which also bounds a run of header-only entries.
                if (batch.Length >= BatchTargetBytes)
                {
                    await SubmitAsync(
                        batch,
                        options.CompressionLevel,
                        slots,
                        pending,
                        cancellationToken
                    );
                    batch = new MemberBatch(2 * BatchTargetBytes);
                }
                else if (batch.CurrentMemberLength >= MemberSoftLimitBytes)
                {
                    batch.StartMember(null, 0);
                }

                var entry = layout.CreateTocEntry(header);
                toc.Entries.Add(entry);
                TarHeaderWriter.Write(header, batch);
                if (header.Size == 0)
                {
                    // The Go writer records the digest of every regular file, empty ones too.
                    if (entry.Type == TocEntryType.Regular)
                    {
                        entry.Digest = EmptyDigest;
                    }

                    continue;
                }

                using var fileHash =
                    header.Size > options.ChunkSize
                        ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256)
                        : null;
                for (long chunkOffset = 0; chunkOffset < header.Size; )
                {
                    var chunkLength = (int)Math.Min(options.ChunkSize, header.Size - chunkOffset);
                    var chunkEntry = layout.CreateChunkEntry(
                        entry,
                        header,
                        chunkOffset,
                        chunkLength
                    );
                    if (!ReferenceEquals(chunkEntry, entry))
                    {
                        toc.Entries.Add(chunkEntry);
                    }

                    // A chunk that would take the batch past its target starts a batch of its
                    // own, sized to the chunk and the padding after it. A 4 MiB chunk thus
                    // rents a 4 MiB array, not one of the next power of two.
                    var isLastChunk = chunkOffset + chunkLength == header.Size;
                    var chunkBytes =
                        chunkLength + (isLastChunk ? TarFormat.PaddingAfter(header.Size) : 0);
                    if (batch.Length > 0 && batch.Length + chunkBytes > BatchTargetBytes)
                    {
                        await SubmitAsync(
                            batch,
                            options.CompressionLevel,
                            slots,
                            pending,
                            cancellationToken
                        );
                        batch = new MemberBatch(Math.Max(2 * BatchTargetBytes, chunkBytes));
                    }

                    batch.StartMember(chunkEntry, chunkLength);
                    var destination = batch.GetSpan(chunkLength)[..chunkLength];
                    ReadData(tar, header, chunkOffset, destination);
                    fileHash?.AppendData(destination);
                    batch.Advance(chunkLength);
                    chunkOffset += chunkLength;
                }

                TarHeaderWriter.WriteZeros(TarFormat.PaddingAfter(header.Size), batch);
                if (fileHash is not null)
                {
                    entry.Digest = TocJson.FormatDigest(fileHash.GetHashAndReset());
                }
            }

            await SubmitAsync(batch, options.CompressionLevel, slots, pending, cancellationToken);
            await WaitForRunningAsync(slots, parallelism);
            pending.Complete();
        }
        catch (Exception exception)
        {
            await WaitForRunningAsync(slots, parallelism);
            pending.Complete(exception);
            throw;
        }
    }

    private static async Task SubmitAsync(
        MemberBatch batch,
        int level,
        SemaphoreSlim slots,
        ChannelWriter<Task<CompressedBatch>> pending,
        CancellationToken cancellationToken
    )
    {
        batch.Complete();
        try
        {
            await slots.WaitAsync(cancellationToken);
        }
        catch
        {
            batch.Dispose();
            throw;
        }

        var task = Task.Run(
            () =>
            {
                try
                {
                    return MemberCompressor.Compress(batch, level);
                }
                finally
                {
                    slots.Release();
                }
            },
            CancellationToken.None
        );
        await pending.WriteAsync(task, cancellationToken);
    }

    /// <summary>Waits until no compression task holds a slot, so none outlives the
    /// semaphore.</summary>
    private static async Task WaitForRunningAsync(SemaphoreSlim slots, int parallelism)
    {
        for (var i = 0; i < parallelism; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
    }

    private static void ReadData(
        Stream tar,
        TarEntryHeader header,
        long chunkOffset,
        Span<byte> destination
    )
    {
        // The landmark has no place in the input; its one byte is fixed by estargz.md.
        if (header.DataOffset < 0)
        {
            destination[0] = EStargzFormat.LandmarkContents;
            return;
        }

        var offset = header.DataOffset + chunkOffset;
        if (tar.Position != offset)
        {
            tar.Position = offset;
        }

        try
        {
            tar.ReadExactly(destination);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException(
                $"input layer: the tar archive ends inside the data of '{header.Name}' "
                    + $"(expected {header.Size} bytes from offset {header.DataOffset}). The file "
                    + "is truncated.",
                exception
            );
        }
    }
}
