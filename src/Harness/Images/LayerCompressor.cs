using System.IO.Compression;
using Harness.EStargz;
using Harness.Registry;

namespace Harness.Images;

/// <summary>Turns an uncompressed layer tar into a gzip or an eStargz blob.</summary>
public static class LayerCompressor
{
    /// <summary>Compresses <paramref name="layer"/> into a plain gzip blob at
    /// <paramref name="blobPath"/>.</summary>
    public static async Task<BuiltLayer> GzipAsync(
        LayerTar layer,
        string blobPath,
        int compressionLevel,
        CancellationToken cancellationToken
    )
    {
        await using (
            var output = new FileStream(
                blobPath,
                FileMode.CreateNew,
                FileAccess.Write,
                FileShare.None,
                1 << 20
            )
        )
        await using (var hashing = new HashingStream(output, leaveOpen: true))
        {
            await using (
                var gzip = new GZipStream(
                    hashing,
                    new ZLibCompressionOptions { CompressionLevel = compressionLevel },
                    leaveOpen: true
                )
            )
            await using (var input = OpenTar(layer))
            {
                await input.CopyToAsync(gzip, 1 << 20, cancellationToken);
            }

            var descriptor = new OciDescriptor(
                OciMediaTypes.LayerTarGzip,
                hashing.Digest,
                hashing.BytesWritten,
                [],
                new Dictionary<string, string>()
            );
            return new BuiltLayer(descriptor, layer.DiffId, layer.Size, blobPath, layer.CreatedBy);
        }
    }

    /// <summary>Converts <paramref name="layer"/> into an eStargz blob at
    /// <paramref name="blobPath"/>. Its descriptor carries the TOC digest and uncompressed size
    /// annotations that the stargz snapshotter reads.</summary>
    public static async Task<BuiltLayer> ConvertToEStargzAsync(
        LayerTar layer,
        string blobPath,
        EStargzWriterOptions options,
        CancellationToken cancellationToken
    )
    {
        EStargzLayer converted;
        await using (
            var output = new FileStream(
                blobPath,
                FileMode.CreateNew,
                FileAccess.ReadWrite,
                FileShare.None,
                1 << 20
            )
        )
        await using (var input = OpenTar(layer))
        {
            converted = await EStargzWriter.ConvertAsync(input, output, options, cancellationToken);
        }

        var descriptor = new OciDescriptor(
            OciMediaTypes.LayerTarGzip,
            converted.Digest,
            converted.Size,
            [],
            new SortedDictionary<string, string>(
                converted.Annotations.ToDictionary(),
                StringComparer.Ordinal
            )
        );

        // The eStargz tar contains the TOC and landmark entries as well, so its diff ID is not the
        // one of the input tar.
        return new BuiltLayer(
            descriptor,
            converted.DiffId,
            converted.UncompressedSize,
            blobPath,
            layer.CreatedBy
        );
    }

    private static FileStream OpenTar(LayerTar layer) =>
        new(
            layer.Path,
            new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Options = FileOptions.SequentialScan,
                BufferSize = 1 << 20,
            }
        );
}
