namespace Harness.Images;

/// <summary>An uncompressed layer tar written to disk, with the facts the image needs.</summary>
/// <param name="Path">File with the tar stream.</param>
/// <param name="DiffId">SHA-256 digest of the tar stream.</param>
/// <param name="Size">Length of the tar stream in bytes.</param>
/// <param name="EntryNames">Names of the entries, without trailing '/', in tar order.</param>
/// <param name="CreatedBy">What made the layer, for the config's history.</param>
public sealed record LayerTar(
    string Path,
    string DiffId,
    long Size,
    IReadOnlyList<string> EntryNames,
    string CreatedBy
)
{
    /// <summary>Writes <paramref name="entries"/> to <paramref name="path"/> as a layer tar.
    /// </summary>
    public static async Task<LayerTar> WriteAsync(
        string path,
        IReadOnlyList<LayerEntry> entries,
        string createdBy,
        CancellationToken cancellationToken
    )
    {
        await using var file = new FileStream(
            path,
            FileMode.CreateNew,
            FileAccess.Write,
            FileShare.None,
            1 << 20
        );
        await using var hashing = new HashingStream(file, leaveOpen: true);
        await TarLayerWriter.WriteAsync(entries, hashing, cancellationToken);
        await hashing.FlushAsync(cancellationToken);
        var names = entries.Select(entry => entry.Name).Order(StringComparer.Ordinal).ToList();
        return new LayerTar(path, hashing.Digest, hashing.BytesWritten, names, createdBy);
    }
}
