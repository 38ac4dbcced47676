using System.Formats.Tar;
using System.Text;

namespace Harness.Tests.Conformance;

/// <summary>One entry of a source layer, written to the layer tar exactly as given.</summary>
public sealed record SourceEntry(string Path, TarEntryType Type)
{
    /// <summary>Prefix of an overlay-style whiteout file (OCI image spec, layer.md).</summary>
    public const string WhiteoutPrefix = ".wh.";

    /// <summary>Name of the marker that makes its directory opaque (layer.md).</summary>
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>Permission bits, setuid, setgid and sticky included.</summary>
    public int Mode { get; init; }

    public int Uid { get; init; }
    public int Gid { get; init; }
    public byte[] Content { get; init; } = [];

    /// <summary>Target of a symbolic link, or the layer path a hard link refers to.</summary>
    public string? LinkTarget { get; init; }

    public int DeviceMajor { get; init; }
    public int DeviceMinor { get; init; }

    /// <summary>Extended attributes, stored as PAX <c>SCHILY.xattr.*</c> records.</summary>
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } =
        new Dictionary<string, byte[]>();

    /// <summary>The last path element.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The containing directory's path, or empty at the top of the tree.</summary>
    public string Parent => System.IO.Path.GetDirectoryName(Path) ?? "";

    public bool IsOpaqueMarker => Name == OpaqueMarker;

    public bool IsWhiteout =>
        !IsOpaqueMarker && Name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal);

    /// <summary>Path that a whiteout removes from the lower layers.</summary>
    public string WhiteoutTarget => System.IO.Path.Combine(Parent, Name[WhiteoutPrefix.Length..]);

    public static SourceEntry Directory(
        string path,
        string mode = "755",
        int uid = 0,
        int gid = 0
    ) =>
        new(path, TarEntryType.Directory)
        {
            Mode = Octal(mode),
            Uid = uid,
            Gid = gid,
        };

    public static SourceEntry File(
        string path,
        byte[] content,
        string mode = "644",
        int uid = 0,
        int gid = 0
    ) =>
        new(path, TarEntryType.RegularFile)
        {
            Mode = Octal(mode),
            Uid = uid,
            Gid = gid,
            Content = content,
        };

    public static SourceEntry File(string path, string text, string mode = "644") =>
        File(path, Encoding.UTF8.GetBytes(text), mode);

    public static SourceEntry Symlink(string path, string target, int uid = 0, int gid = 0) =>
        new(path, TarEntryType.SymbolicLink)
        {
            Mode = Octal("777"),
            LinkTarget = target,
            Uid = uid,
            Gid = gid,
        };

    /// <summary>A second name for <paramref name="target"/>, a path of the same layer. Its tar
    /// header gets the target's mode and owner.</summary>
    public static SourceEntry HardLink(string path, string target) =>
        new(path, TarEntryType.HardLink) { LinkTarget = target };

    public static SourceEntry Fifo(string path, string mode) =>
        new(path, TarEntryType.Fifo) { Mode = Octal(mode) };

    public static SourceEntry Device(
        string path,
        TarEntryType type,
        int major,
        int minor,
        string mode,
        int gid = 0
    ) =>
        new(path, type)
        {
            Mode = Octal(mode),
            DeviceMajor = major,
            DeviceMinor = minor,
            Gid = gid,
        };

    /// <summary>An empty file named <c>.wh.NAME</c> that deletes NAME of the lower layers.
    /// </summary>
    public static SourceEntry Whiteout(string path) =>
        File(
            System.IO.Path.Combine(
                System.IO.Path.GetDirectoryName(path) ?? "",
                WhiteoutPrefix + System.IO.Path.GetFileName(path)
            ),
            []
        );

    /// <summary>The marker that hides every lower entry below <paramref name="directory"/>.
    /// </summary>
    public static SourceEntry Opaque(string directory) =>
        File(System.IO.Path.Combine(directory, OpaqueMarker), []);

    private static int Octal(string digits) => Convert.ToInt32(digits, 8);
}
