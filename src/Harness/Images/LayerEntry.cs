namespace Harness.Images;

/// <summary>
/// One entry of a layer tar: an object copied from a tree on disk, or a whiteout that deletes
/// a path of the layers below (OCI image spec, layer.md, "Whiteouts").
/// </summary>
public sealed record LayerEntry
{
    /// <summary>Prefix of a whiteout file's name, followed by the name it deletes.</summary>
    public const string WhiteoutPrefix = ".wh.";

    /// <summary>Name of the whiteout that hides every entry of its folder in lower layers.
    /// </summary>
    public const string OpaqueWhiteoutName = ".wh..wh..opq";

    private LayerEntry(string name, FileTreeEntry? source)
    {
        Name = name;
        Source = source;
    }

    /// <summary>Path inside the image, relative, '/'-separated, without a trailing '/'.
    /// </summary>
    public string Name { get; }

    /// <summary>Object whose metadata and content the entry carries, or null for whiteouts.
    /// </summary>
    public FileTreeEntry? Source { get; }

    /// <summary>True for whiteout and opaque whiteout files.</summary>
    public bool IsWhiteout => Source is null;

    /// <summary>Creates an entry that copies <paramref name="source"/> under its own path.
    /// </summary>
    public static LayerEntry FromTree(FileTreeEntry source) => new(source.Path, source);

    /// <summary>Creates the whiteout that deletes <paramref name="deletedPath"/>.</summary>
    public static LayerEntry Whiteout(string deletedPath)
    {
        var slash = deletedPath.LastIndexOf('/');
        var name =
            slash < 0
                ? WhiteoutPrefix + deletedPath
                : $"{deletedPath[..(slash + 1)]}{WhiteoutPrefix}{deletedPath[(slash + 1)..]}";
        return new LayerEntry(name, null);
    }

    /// <summary>Creates the opaque whiteout that hides what lower layers hold in
    /// <paramref name="folderPath"/>.</summary>
    public static LayerEntry OpaqueWhiteout(string folderPath) =>
        new($"{folderPath}/{OpaqueWhiteoutName}", null);
}
