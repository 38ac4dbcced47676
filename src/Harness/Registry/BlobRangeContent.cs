using System.Net;

namespace Harness.Registry;

/// <summary>
/// Request body made of one byte range of a blob, streamed from its source in small buffers
/// so that memory use stays bounded whatever the blob size.
/// </summary>
internal sealed class BlobRangeContent : HttpContent
{
    private const int BufferSize = 128 * 1024;

    private readonly BlobSource blob;
    private readonly long offset;
    private readonly long length;
    private readonly Action<long>? bytesSent;

    /// <summary>Creates a body of <paramref name="length"/> bytes starting at
    /// <paramref name="offset"/>; <paramref name="bytesSent"/> receives each buffer's size.
    /// </summary>
    public BlobRangeContent(BlobSource blob, long offset, long length, Action<long>? bytesSent)
    {
        this.blob = blob;
        this.offset = offset;
        this.length = length;
        this.bytesSent = bytesSent;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(
        Stream stream,
        TransportContext? context,
        CancellationToken cancellationToken
    )
    {
        await using var source = blob.OpenRead();
        await SkipAsync(source, cancellationToken);

        var buffer = new byte[BufferSize];
        var remaining = length;
        while (remaining > 0)
        {
            var count = (int)Math.Min(buffer.Length, remaining);
            var read = await source.ReadAsync(buffer.AsMemory(0, count), cancellationToken);
            if (read == 0)
            {
                throw new HarnessException(
                    $"Blob {blob.Digest} ended {remaining} bytes early while uploading bytes "
                        + $"{offset}-{offset + length - 1} of {blob.Size}. The file changed or is "
                        + "truncated; rebuild the image."
                );
            }

            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            remaining -= read;
            bytesSent?.Invoke(read);
        }
    }

    protected override bool TryComputeLength(out long computedLength)
    {
        computedLength = length;
        return true;
    }

    private async Task SkipAsync(Stream source, CancellationToken cancellationToken)
    {
        if (offset == 0)
        {
            return;
        }

        if (source.CanSeek)
        {
            source.Seek(offset, SeekOrigin.Begin);
            return;
        }

        // A stream that cannot seek is read and dropped up to the offset.
        var buffer = new byte[BufferSize];
        var toSkip = offset;
        while (toSkip > 0)
        {
            var read = await source.ReadAsync(
                buffer.AsMemory(0, (int)Math.Min(buffer.Length, toSkip)),
                cancellationToken
            );
            if (read == 0)
            {
                throw new HarnessException(
                    $"Blob {blob.Digest} is shorter than its declared size {blob.Size}."
                );
            }

            toSkip -= read;
        }
    }
}
