using System.IO.Compression;

namespace Harness.EStargz;

/// <summary>
/// The input layer as a seekable, uncompressed tar. A gzip input, or one that cannot seek, is
/// first copied (and decompressed) to a temporary file that is deleted on dispose, because the
/// entries are read twice: once to order them, once to copy their data.
/// </summary>
internal sealed class LayerSource : IAsyncDisposable
{
    private const int CopyBufferSize = 1024 * 1024;
    private readonly Stream? _ownedStream;

    private LayerSource(Stream tar, Stream? ownedStream)
    {
        Tar = tar;
        _ownedStream = ownedStream;
        StartOffset = tar.Position;
    }

    /// <summary>The uncompressed tar, positioned at its first header.</summary>
    public Stream Tar { get; }

    /// <summary>Offset of the tar's first header within <see cref="Tar"/>.</summary>
    public long StartOffset { get; }

    /// <summary>Prepares <paramref name="input"/>, reading it from its current position.</summary>
    public static async Task<LayerSource> OpenAsync(
        Stream input,
        CancellationToken cancellationToken
    )
    {
        if (!input.CanSeek)
        {
            var spooled = CreateTemporaryFile();
            try
            {
                await input.CopyToAsync(spooled, CopyBufferSize, cancellationToken);
                spooled.Position = 0;
                var source = await OpenSeekableAsync(spooled, cancellationToken);
                if (!ReferenceEquals(source.Tar, spooled))
                {
                    await spooled.DisposeAsync();
                    return source;
                }

                return new LayerSource(spooled, spooled);
            }
            catch
            {
                await spooled.DisposeAsync();
                throw;
            }
        }

        return await OpenSeekableAsync(input, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownedStream is not null)
        {
            await _ownedStream.DisposeAsync();
        }
    }

    private static async Task<LayerSource> OpenSeekableAsync(
        Stream input,
        CancellationToken cancellationToken
    )
    {
        var start = input.Position;
        var magic = new byte[3];
        var read = await input.ReadAtLeastAsync(
            magic,
            magic.Length,
            throwOnEndOfStream: false,
            cancellationToken
        );
        input.Position = start;

        // RFC 1952: ID1 0x1f, ID2 0x8b, CM 8 (deflate). Go's converter checks the same bytes.
        if (read < 3 || magic[0] != 0x1f || magic[1] != 0x8b || magic[2] != 8)
        {
            return new LayerSource(input, null);
        }

        var decompressed = CreateTemporaryFile();
        try
        {
            await using (
                var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true)
            )
            {
                await gzip.CopyToAsync(decompressed, CopyBufferSize, cancellationToken);
            }

            decompressed.Position = 0;
            return new LayerSource(decompressed, decompressed);
        }
        catch (InvalidDataException exception)
        {
            await decompressed.DisposeAsync();
            throw new InvalidDataException(
                $"the input starts like gzip but does not decompress: {exception.Message}",
                exception
            );
        }
        catch
        {
            await decompressed.DisposeAsync();
            throw;
        }
    }

    private static FileStream CreateTemporaryFile() =>
        new(
            Path.Combine(Path.GetTempPath(), $"harness-estargz-{Guid.NewGuid():N}.tar"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 0,
            FileOptions.DeleteOnClose
        );
}
