using System.Formats.Tar;
using System.IO.Compression;
using Harness.EStargz;

namespace Harness.Tests.EStargz;

/// <summary>A converted layer held in memory, with the reader over it.</summary>
internal sealed record Conversion(EStargzLayer Layer, byte[] Blob)
{
    public const int SmallChunkSize = 4096;

    public static async Task<Conversion> RunAsync(byte[] tar, EStargzWriterOptions? options = null)
    {
        using var output = new MemoryStream();
        var layer = await EStargzWriter.ConvertAsync(
            new MemoryStream(tar),
            output,
            options ?? new EStargzWriterOptions(),
            CancellationToken.None
        );
        return new Conversion(layer, output.ToArray());
    }

    public static Task<Conversion> RunSmallChunksAsync(byte[] tar) =>
        RunAsync(tar, new EStargzWriterOptions { ChunkSize = SmallChunkSize });

    public EStargzReader OpenReader() =>
        EStargzReader.Open(new MemoryStream(Blob), leaveOpen: false);

    public IReadOnlyList<TocEntry> Entries()
    {
        using var reader = OpenReader();
        return reader.Entries;
    }

    public TocEntry Entry(string name) =>
        Entries().Single(e => e.Name == name && e.Type != TocEntryType.Chunk);

    /// <summary>Returns the blob decompressed as one multi-member gzip stream: the layer
    /// tar.</summary>
    public byte[] DecompressedTar()
    {
        using var gzip = new GZipStream(new MemoryStream(Blob), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    /// <summary>Lists the entries of the decompressed blob with System.Formats.Tar.</summary>
    public List<TarEntry> TarEntries()
    {
        var entries = new List<TarEntry>();
        using var reader = new TarReader(new MemoryStream(DecompressedTar()));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Decompresses the gzip member at a blob offset and returns its first
    /// bytes.</summary>
    public byte[] ReadMember(long offset, int length)
    {
        using var gzip = new GZipStream(
            new MemoryStream(Blob, (int)offset, Blob.Length - (int)offset),
            CompressionMode.Decompress
        );
        var data = new byte[length];
        gzip.ReadExactly(data);
        return data;
    }
}
