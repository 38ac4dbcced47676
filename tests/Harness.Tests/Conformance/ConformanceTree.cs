using System.Formats.Tar;
using System.Text;

namespace Harness.Tests.Conformance;

/// <summary>
/// Three source layers that exercise every kind of tar entry a layer can hold. They contain
/// file sizes around the chunk size, hard and symbolic links, owners, special mode bits, long
/// and non-ASCII names, extended attributes, device nodes and fifos. The upper layers add
/// whiteouts, plain and opaque. The expected merged view is worked out from these entries.
/// </summary>
internal static class ConformanceTree
{
    /// <summary>Chunk size passed to the eStargz writer, small so that chunked files are small.
    /// </summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>Files placed before the prefetch landmark in the prioritized variant. A hard
    /// link among them makes the writer move its target first, and a file whose parents have
    /// no entries stays where it is, as with the Go converter.</summary>
    public static readonly IReadOnlyList<string> PrioritizedFiles =
    [
        "app/run",
        "data/multi",
        "data/hard",
        "etc/config",
        "app/big-link",
        "late/child",
        "implicit/parent/file",
    ];

    /// <summary>Modification time of every entry, in whole seconds as the TOC stores them.
    /// </summary>
    public static readonly DateTimeOffset ModificationTime = new(
        2024,
        1,
        2,
        3,
        4,
        5,
        TimeSpan.Zero
    );

    /// <summary>A file name of 152 bytes, longer than the 100-byte name field of a tar header.
    /// </summary>
    public static readonly string LongName = string.Concat(Enumerable.Repeat("segment-", 19));

    /// <summary>
    /// A <c>security.capability</c> value granting CAP_SETUID (bit 7) and CAP_NET_RAW (bit
    /// 13): struct vfs_cap_data revision 2 (linux/capability.h), little-endian, with the magic
    /// 0x02000000 plus the effective flag 1, and zero inheritable and high words. The byte
    /// 0x80 makes it invalid UTF-8, as binary attribute values often are.
    /// </summary>
    public static readonly byte[] Capability =
    [
        0x01,
        0x00,
        0x00,
        0x02,
        0x80,
        0x20,
        0x00,
        0x00,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static readonly string PrefixPart = new('p', 60);
    private static readonly string NamePart = new('n', 80);

    public static IReadOnlyList<IReadOnlyList<SourceEntry>> Layers { get; } =
    [BaseLayer(), ChangeLayer(), TopLayer()];

    /// <summary>Index of the layer whose tar names start with "./" and which has an entry for
    /// the root itself. <c>tar -C DIR .</c> writes layers this way, and many real images have
    /// such layers.</summary>
    private const int DotSlashLayer = 2;

    /// <summary>Tar format of each layer: PAX as Go's archive/tar writes, ustar with its
    /// 155-byte name prefix field, and GNU with its 'L' and 'K' long name entries.</summary>
    private static readonly TarEntryFormat[] Formats =
    [
        TarEntryFormat.Pax,
        TarEntryFormat.Ustar,
        TarEntryFormat.Gnu,
    ];

    /// <summary>Writes layer <paramref name="index"/> as a tar in the layer's format.</summary>
    public static byte[] WriteTar(int index)
    {
        using var stream = new MemoryStream();
        var format = Formats[index];
        var binaryValues = new List<(byte[] Placeholder, byte[] Value)>();
        using (var writer = new TarWriter(stream, format, leaveOpen: true))
        {
            var prefix = index == DotSlashLayer ? "./" : "";
            if (index == DotSlashLayer)
            {
                writer.WriteEntry(ToTarEntry(SourceEntry.Directory("."), "", format, binaryValues));
            }

            var byPath = Layers[index].ToDictionary(entry => entry.Path, StringComparer.Ordinal);
            foreach (var entry in Layers[index])
            {
                // A hard link's header repeats its target's mode and owner, as tar writes them
                // for two names of one inode. Where they differ, containerd 1.6's unpacker
                // applies the link's header to the shared inode, while the stargz snapshotter
                // 0.12 keeps the target's, so the two views would disagree.
                var written =
                    entry.Type == TarEntryType.HardLink
                        ? byPath[entry.LinkTarget!] with
                        {
                            Path = entry.Path,
                            Type = TarEntryType.HardLink,
                            LinkTarget = entry.LinkTarget,
                            Content = [],
                        }
                        : entry;
                writer.WriteEntry(ToTarEntry(written, prefix, format, binaryValues));
            }
        }

        // PAX records count bytes, so a value of the placeholder's length fits its place.
        var tar = stream.ToArray();
        foreach (var (placeholder, value) in binaryValues)
        {
            var offset = tar.AsSpan().IndexOf(placeholder);
            value.CopyTo(tar.AsSpan(offset));
        }

        return tar;
    }

    /// <summary>
    /// Applies the layers in order with the whiteout rules of the OCI image spec (layer.md):
    /// an opaque marker drops every lower entry below its directory, a <c>.wh.NAME</c> file
    /// drops NAME and everything below it, and any other entry replaces the one at its path.
    /// Hard links resolve to their target's metadata.
    /// </summary>
    public static ExpectedTree Merge()
    {
        var view = new SortedDictionary<string, SourceEntry>(StringComparer.Ordinal);
        var linkTargets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            // Markers and whiteouts act on the lower layers only, so they go before the
            // layer's own entries.
            foreach (var marker in layer.Where(entry => entry.IsOpaqueMarker))
            {
                RemoveBelow(view, linkTargets, marker.Parent);
            }

            foreach (var whiteout in layer.Where(entry => entry.IsWhiteout))
            {
                view.Remove(whiteout.WhiteoutTarget);
                linkTargets.Remove(whiteout.WhiteoutTarget);
                RemoveBelow(view, linkTargets, whiteout.WhiteoutTarget);
            }

            var byPath = layer.ToDictionary(entry => entry.Path, StringComparer.Ordinal);
            foreach (var entry in layer.Where(entry => !entry.IsOpaqueMarker && !entry.IsWhiteout))
            {
                if (entry.Type == TarEntryType.HardLink)
                {
                    var target = byPath[entry.LinkTarget!];
                    view[entry.Path] = target with { Path = entry.Path };
                    linkTargets[entry.Path] = target.Path;
                }
                else
                {
                    view[entry.Path] = entry;
                    linkTargets.Remove(entry.Path);
                }
            }

            AddImplicitParents(view, layer);
        }

        return new ExpectedTree(view, linkTargets);
    }

    private static IReadOnlyList<SourceEntry> BaseLayer() =>
        [
            SourceEntry.Directory("etc"),
            SourceEntry.File("etc/config", "version=1\n"),
            SourceEntry.File("etc/restricted", Encoding.UTF8.GetBytes("secret\n"), "640", gid: 42),
            SourceEntry.Directory("data"),
            SourceEntry.File("data/empty", [], "600", uid: 1000, gid: 1000),
            SourceEntry.HardLink("data/empty-link", "data/empty"),
            // Owners above 2097151 do not fit the header's octal field and need PAX records.
            SourceEntry.File("data/big-owner", [1, 2, 3], "644", uid: 3_000_000, gid: 3_000_001),
            SourceEntry.File("data/under", Bytes(ChunkSize - 1, seed: 1)),
            SourceEntry.File("data/exact", Bytes(ChunkSize, seed: 2)),
            SourceEntry.File("data/over", Bytes(ChunkSize + 1, seed: 3)),
            SourceEntry.File("data/multi", Bytes((3 * ChunkSize) + 1000, seed: 4), uid: 7, gid: 8),
            SourceEntry.File("data/two-chunks", Bytes(2 * ChunkSize, seed: 7)),
            SourceEntry.File("data/one-byte", Bytes(1, seed: 8)),
            SourceEntry.File("data/script.sh", "#!/bin/sh\necho conformant\n", "755"),
            SourceEntry.File("data/setuid", Encoding.UTF8.GetBytes("suid\n"), "4755"),
            SourceEntry.File("data/setgid", Encoding.UTF8.GetBytes("sgid\n"), "2750", gid: 50),
            SourceEntry.File("data/tagged", "tagged\n") with
            {
                Xattrs = new Dictionary<string, byte[]>
                {
                    ["user.color"] = "blue"u8.ToArray(),
                    ["user.note"] = Encoding.UTF8.GetBytes("grüße"),
                },
            },
            SourceEntry.File("data/ping", Encoding.UTF8.GetBytes("capable\n"), "755") with
            {
                Xattrs = new Dictionary<string, byte[]> { ["security.capability"] = Capability },
            },
            SourceEntry.Symlink("data/relative", "../etc/config"),
            SourceEntry.Symlink("data/absolute", "/etc/config", uid: 5, gid: 6),
            SourceEntry.Symlink("data/dangling", "missing/target"),
            SourceEntry.HardLink("data/hard", "data/under"),
            SourceEntry.Directory("tmp", "1777"),
            SourceEntry.Directory("empty-dir", "750", uid: 33, gid: 33),
            SourceEntry.Directory("long"),
            SourceEntry.File($"long/{LongName}", "long name\n"),
            SourceEntry.Symlink("long/link-to-long", LongName),
            SourceEntry.Symlink("long/link-long-target", $"../long/{LongName}/../{LongName}"),
            SourceEntry.HardLink("long/hard-to-long", $"long/{LongName}"),
            SourceEntry.Directory("names") with
            {
                Xattrs = new Dictionary<string, byte[]>
                {
                    ["user.directory"] = "names"u8.ToArray(),
                },
            },
            SourceEntry.File("names/grüße-日本語.txt", "non-ascii\n"),
            SourceEntry.Symlink("names/link-ü", "grüße-日本語.txt"),
            // Characters that JSON must escape in the TOC, and some that shells would.
            SourceEntry.File("names/quote\" back\\slash\ttab $x&=%.txt", "escaped\n"),
            SourceEntry.Symlink("names/escaped-link", "quote\" back\\slash\ttab $x&=%.txt"),
            SourceEntry.Directory("names/каталог"),
            SourceEntry.File("names/каталог/файл", "cyrillic\n"),
            SourceEntry.Directory("dev"),
            SourceEntry.Fifo("dev/pipe", "620"),
            SourceEntry.Device("dev/null-like", TarEntryType.CharacterDevice, 1, 3, "666"),
            SourceEntry.Device("dev/loop-like", TarEntryType.BlockDevice, 7, 300, "660", gid: 6),
            SourceEntry.File("victim", "deleted by the layer above\n"),
            SourceEntry.Directory("gone"),
            SourceEntry.File("gone/a", "a\n"),
            SourceEntry.File("gone/b", "b\n"),
            SourceEntry.Directory("opaque"),
            SourceEntry.File("opaque/old", "hidden by the opaque marker\n"),
            SourceEntry.Directory("opaque/sub"),
            SourceEntry.File("opaque/sub/deep", "hidden as well\n"),
            SourceEntry.Directory("keep"),
            SourceEntry.File("keep/lower", "lower\n"),
            // No entries for these parents: readers must create them.
            SourceEntry.File("implicit/parent/file", "parents not in the tar\n"),
            // A directory entry after its child: its metadata must still apply.
            SourceEntry.File("late/child", "child before its directory\n"),
            SourceEntry.Directory("late", "711", uid: 9, gid: 9),
        ];

    private static IReadOnlyList<SourceEntry> ChangeLayer() =>
        [
            SourceEntry.Whiteout("victim"),
            SourceEntry.Directory("gone"),
            SourceEntry.Whiteout("gone/a"),
            SourceEntry.Directory("opaque", "700"),
            SourceEntry.Opaque("opaque"),
            SourceEntry.File("opaque/new", "new\n"),
            SourceEntry.Directory("etc"),
            SourceEntry.File("etc/config", Encoding.UTF8.GetBytes("version=2\n"), "600", 1, 1),
            SourceEntry.Directory("keep"),
            SourceEntry.File("keep/upper", "upper\n"),
            // 146 bytes: ustar stores the directory part in its prefix field.
            SourceEntry.Directory($"keep/{PrefixPart}"),
            SourceEntry.File($"keep/{PrefixPart}/{NamePart}", "split between prefix and name\n"),
            SourceEntry.Directory("app"),
            SourceEntry.File("app/run", "#!/bin/sh\nexec sleep 1\n", "755"),
        ];

    private static IReadOnlyList<SourceEntry> TopLayer() =>
        [
            SourceEntry.Whiteout("gone"),
            SourceEntry.Directory("app"),
            SourceEntry.File("app/big", Bytes((2 * ChunkSize) + 7, seed: 5)),
            SourceEntry.HardLink("app/big-link", "app/big"),
            SourceEntry.File($"app/{LongName}", "GNU long name\n", "755"),
            SourceEntry.HardLink("app/hard-to-long", $"app/{LongName}"),
            SourceEntry.Symlink("app/link-to-long", $"../long/{LongName}"),
            SourceEntry.Directory("data"),
            SourceEntry.File("data/exact", Bytes(100, seed: 6), "444"),
            SourceEntry.Whiteout("data/dangling"),
        ];

    /// <summary>
    /// Adds the parent directories that a layer's entries need but neither it nor a lower
    /// layer has. containerd's unpacker and the eStargz reader both create them as 0755 and
    /// owned by root. A parent that a lower layer has keeps that layer's metadata on overlayfs
    /// but not on the stargz snapshotter, so the layers avoid that case.
    /// </summary>
    private static void AddImplicitParents(
        SortedDictionary<string, SourceEntry> view,
        IReadOnlyList<SourceEntry> layer
    )
    {
        foreach (var entry in layer.Where(entry => !entry.IsOpaqueMarker && !entry.IsWhiteout))
        {
            var parent = entry.Parent;
            while (parent.Length > 0)
            {
                view.TryAdd(parent, SourceEntry.Directory(parent));
                parent = Path.GetDirectoryName(parent) ?? "";
            }
        }
    }

    private static void RemoveBelow(
        SortedDictionary<string, SourceEntry> view,
        Dictionary<string, string> linkTargets,
        string directory
    )
    {
        var prefix = directory + "/";
        var below = view
            .Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        foreach (var path in below)
        {
            view.Remove(path);
            linkTargets.Remove(path);
        }
    }

    private static PosixTarEntry ToTarEntry(
        SourceEntry entry,
        string prefix,
        TarEntryFormat format,
        List<(byte[] Placeholder, byte[] Value)> binaryValues
    )
    {
        var attributes = entry.Xattrs.ToDictionary(
            attribute => "SCHILY.xattr." + attribute.Key,
            attribute => ToRecordValue(attribute.Value, binaryValues)
        );
        if (attributes.Count > 0 && format != TarEntryFormat.Pax)
        {
            throw new InvalidOperationException(
                $"{entry.Path} has extended attributes, which only PAX layers can store."
            );
        }

        var name = prefix + (entry.Type == TarEntryType.Directory ? entry.Path + "/" : entry.Path);
        PosixTarEntry tarEntry = format switch
        {
            TarEntryFormat.Pax => new PaxTarEntry(entry.Type, name, attributes),
            TarEntryFormat.Ustar => new UstarTarEntry(entry.Type, name),
            TarEntryFormat.Gnu => new GnuTarEntry(entry.Type, name),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        tarEntry.Mode = (UnixFileMode)entry.Mode;
        tarEntry.Uid = entry.Uid;
        tarEntry.Gid = entry.Gid;
        tarEntry.ModificationTime = ModificationTime;
        switch (entry.Type)
        {
            case TarEntryType.RegularFile:
                tarEntry.DataStream = new MemoryStream(entry.Content);
                break;
            case TarEntryType.SymbolicLink:
                tarEntry.LinkName = entry.LinkTarget!;
                break;
            case TarEntryType.HardLink:
                tarEntry.LinkName = prefix + entry.LinkTarget!;
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                tarEntry.DeviceMajor = entry.DeviceMajor;
                tarEntry.DeviceMinor = entry.DeviceMinor;
                break;
        }

        return tarEntry;
    }

    /// <summary>
    /// Returns the value as the string a PAX record of System.Formats.Tar needs. That API takes
    /// only text, so a binary value becomes a unique ASCII placeholder of the same byte length,
    /// replaced by the real bytes once the tar is written.
    /// </summary>
    private static string ToRecordValue(
        byte[] value,
        List<(byte[] Placeholder, byte[] Value)> binaryValues
    )
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            var placeholder = $"@binary-{binaryValues.Count}@".PadRight(value.Length, '@');
            if (placeholder.Length != value.Length)
            {
                throw new InvalidOperationException(
                    $"A binary attribute value of {value.Length} bytes is shorter than its "
                        + $"placeholder '{placeholder}'; make it at least {placeholder.Length} "
                        + "bytes."
                );
            }

            binaryValues.Add((Encoding.ASCII.GetBytes(placeholder), value));
            return placeholder;
        }
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
