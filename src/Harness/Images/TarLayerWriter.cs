using System.Buffers;
using Harness.EStargz;

namespace Harness.Images;

/// <summary>
/// Writes layer entries as a reproducible tar stream: entries in byte-wise name order, one
/// fixed modification time, numeric owners without user or group names, and a PAX extended
/// header only for entries that ustar cannot describe. The header blocks come from
/// <see cref="TarHeaderWriter"/>, which the eStargz writer uses too.
/// </summary>
public static class TarLayerWriter
{
    /// <summary>Modification time of every entry: 2024-01-01T00:00:00Z, in the spirit of
    /// SOURCE_DATE_EPOCH, so that a rebuild from the same files gives the same bytes.</summary>
    public static readonly DateTimeOffset EntryTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Mode of a whiteout entry: an empty regular file, rw-r--r--.
    private const int WhiteoutMode = 0b110_100_100;

    // Source of the padding after file data and of the end-of-archive marker.
    private static readonly byte[] Zeros = new byte[TarFormat.BlockSize * 2];

    /// <summary>Writes <paramref name="entries"/> to <paramref name="output"/> as a complete tar
    /// stream, ending with the two zero blocks of the end-of-archive marker.</summary>
    public static async Task WriteAsync(
        IEnumerable<LayerEntry> entries,
        Stream output,
        CancellationToken cancellationToken
    )
    {
        var sorted = entries.OrderBy(entry => entry.Name, StringComparer.Ordinal).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Name == sorted[i - 1].Name)
            {
                throw new InvalidOperationException(
                    $"The layer contains the entry {sorted[i].Name} twice."
                );
            }
        }

        // The first entry of a hard-linked file carries its content, later ones point at it.
        var firstNames = new Dictionary<(ulong, ulong), string>();
        var headerBlocks = new ArrayBufferWriter<byte>(TarFormat.BlockSize * 4);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            foreach (var entry in sorted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var header = HeaderOf(entry, firstNames);
                headerBlocks.ResetWrittenCount();
                TarHeaderWriter.Write(header, headerBlocks);
                await output.WriteAsync(headerBlocks.WrittenMemory, cancellationToken);
                if (header.TypeFlag == TarFormat.TypeRegular && header.Size > 0)
                {
                    await CopyContentAsync(entry.Source!, output, buffer, cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await output.WriteAsync(Zeros, cancellationToken);
    }

    private static TarEntryHeader HeaderOf(
        LayerEntry entry,
        Dictionary<(ulong, ulong), string> firstNames
    )
    {
        var modified = EntryTime.ToUnixTimeSeconds();
        var source = entry.Source;
        if (source is null)
        {
            return new TarEntryHeader
            {
                Name = entry.Name,
                TypeFlag = TarFormat.TypeRegular,
                Mode = WhiteoutMode,
                ModTimeSeconds = modified,
            };
        }

        // Owners are numeric only, because names would depend on the build machine's users.
        var header = new TarEntryHeader
        {
            Name = source.Type == FileTreeEntryType.Directory ? source.Path + "/" : source.Path,
            TypeFlag = TarFormat.TypeRegular,
            Mode = source.Mode,
            Uid = source.UserId,
            Gid = source.GroupId,
            ModTimeSeconds = modified,
            Xattrs = XattrsOf(source),
        };
        switch (source.Type)
        {
            case FileTreeEntryType.RegularFile:
                if (source.LinkCount > 1 && firstNames.TryGetValue(source.FileId, out var first))
                {
                    // Hard links share one inode, so its attributes go with the first entry.
                    return header with
                    {
                        TypeFlag = TarFormat.TypeHardLink,
                        LinkName = first,
                        Xattrs = null,
                    };
                }

                if (source.LinkCount > 1)
                {
                    firstNames[source.FileId] = source.Path;
                }

                return header with
                {
                    Size = source.Size,
                };
            case FileTreeEntryType.Directory:
                return header with { TypeFlag = TarFormat.TypeDirectory };
            case FileTreeEntryType.SymbolicLink:
                return header with
                {
                    TypeFlag = TarFormat.TypeSymlink,
                    LinkName = source.LinkTarget ?? "",
                };
            case FileTreeEntryType.CharacterDevice:
            case FileTreeEntryType.BlockDevice:
                return header with
                {
                    TypeFlag =
                        source.Type == FileTreeEntryType.CharacterDevice
                            ? TarFormat.TypeCharacterDevice
                            : TarFormat.TypeBlockDevice,
                    DevMajor = source.DeviceMajor,
                    DevMinor = source.DeviceMinor,
                };
            case FileTreeEntryType.Fifo:
                return header with { TypeFlag = TarFormat.TypeFifo };
            default:
                // Sockets exist only while a program listens on them, and tar has no type for them.
                throw new InvalidOperationException(
                    $"Cannot store {source.SourcePath} in a layer: tar has no entry type for "
                        + $"{source.Type}. Remove it from the tree before building the layer."
                );
        }
    }

    private static SortedDictionary<string, byte[]>? XattrsOf(FileTreeEntry source) =>
        source.ExtendedAttributes.Count == 0
            ? null
            : new SortedDictionary<string, byte[]>(
                source.ExtendedAttributes.ToDictionary(),
                StringComparer.Ordinal
            );

    private static async Task CopyContentAsync(
        FileTreeEntry source,
        Stream output,
        byte[] buffer,
        CancellationToken cancellationToken
    )
    {
        long copied = 0;
        await using (
            var input = new FileStream(
                source.SourcePath,
                new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Options = FileOptions.SequentialScan,
                    BufferSize = 0,
                }
            )
        )
        {
            while (copied < source.Size)
            {
                var wanted = (int)Math.Min(buffer.Length, source.Size - copied);
                var read = await input.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
            }

            if (copied != source.Size || input.Length != source.Size)
            {
                throw new IOException(
                    $"{source.SourcePath} changed while it was written to a layer: expected "
                        + $"{source.Size} bytes, found {input.Length}. Nothing may modify the tree "
                        + "during a build."
                );
            }
        }

        await output.WriteAsync(
            Zeros.AsMemory(0, TarFormat.PaddingAfter(copied)),
            cancellationToken
        );
    }
}
