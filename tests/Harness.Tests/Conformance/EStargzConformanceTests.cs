using System.Formats.Tar;
using System.Security.Cryptography;
using Harness.EStargz;
using Harness.Images;
using Harness.Node;
using Harness.Tests.Infrastructure;
using Harness.Tests.Node;

namespace Harness.Tests.Conformance;

/// <summary>
/// Judges images built with <see cref="EStargzWriter"/> by the real stargz snapshotter: each
/// variant is pulled, its layers mounted, and the merged view compared with the source layers
/// entry by entry. The gzip variant on overlayfs is the control: the same checks must pass
/// when containerd unpacks the layers itself.
/// </summary>
[Collection(LocalNodeCollection.Name)]
public sealed class EStargzConformanceTests : IClassFixture<ConformanceNodeFixture>
{
    private const int TimeoutMs = 120_000;

    private readonly ConformanceNodeFixture fixture;

    public EStargzConformanceTests(ConformanceNodeFixture fixture) => this.fixture = fixture;

    private LocalNode Node => fixture.Node;

    [RootFact(Timeout = TimeoutMs)]
    public async Task EStargzNoopt_MountsLazilyAndMatchesSource()
    {
        var image = fixture.Image(ImageVariant.EStargzNoopt);

        await Node.ResetAsync(CancellationToken.None);
        await Node.Containerd.RemotePullAsync(image.Reference, CancellationToken.None);
        var proof = await Node.ProveLazinessAsync(image.Reference, CancellationToken.None);

        Assert.Equal(image.LayerCount, proof.LayerCount);
        Assert.True(proof.IsLazy, proof.ToString());
        await AssertViewMatchesSourceAsync(image, NodeLayout.StargzSnapshotter);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task EStargzPrioritized_MountsLazilyAndMatchesSource()
    {
        var image = fixture.Image(ImageVariant.EStargz);

        await Node.ResetAsync(CancellationToken.None);
        await Node.Containerd.RemotePullAsync(image.Reference, CancellationToken.None);
        var proof = await Node.ProveLazinessAsync(image.Reference, CancellationToken.None);

        Assert.Equal(image.LayerCount, proof.LayerCount);
        Assert.True(proof.IsLazy, proof.ToString());
        await AssertViewMatchesSourceAsync(image, NodeLayout.StargzSnapshotter);
    }

    [RootFact(Timeout = TimeoutMs)]
    public Task EStargzNoopt_UnpacksOnOverlayfsToo() =>
        AssertUnpacksOnOverlayfsAsync(ImageVariant.EStargzNoopt, EStargzFormat.NoPrefetchLandmark);

    [RootFact(Timeout = TimeoutMs)]
    public Task EStargzPrioritized_UnpacksOnOverlayfsToo() =>
        AssertUnpacksOnOverlayfsAsync(ImageVariant.EStargz, EStargzFormat.PrefetchLandmark);

    [RootFact(Timeout = TimeoutMs)]
    public async Task Overlayfs_UnpacksAndMatchesSource()
    {
        var image = fixture.Image(ImageVariant.Overlayfs);

        await Node.ResetAsync(CancellationToken.None);
        await Node.Containerd.PullAsync(image.Reference, CancellationToken.None);
        var proof = await Node.ProveLazinessAsync(image.Reference, CancellationToken.None);

        Assert.Equal(image.LayerCount, proof.LayerCount);
        Assert.False(proof.IsLazy, proof.ToString());
        await AssertViewMatchesSourceAsync(image, NodeLayout.OverlayfsSnapshotter);
    }

    /// <summary>
    /// Pulls an eStargz variant in full onto overlayfs, as a client without the stargz
    /// snapshotter does, and expects the source plus the TOC and the given landmark, which such
    /// a client unpacks as files. Every layer of the image has prioritized files or none, so
    /// the top layer's landmark is the only one in the merged view.
    /// </summary>
    private async Task AssertUnpacksOnOverlayfsAsync(ImageVariant variant, string landmark)
    {
        var image = fixture.Image(variant);

        await Node.ResetAsync(CancellationToken.None);

        // containerd checks each unpacked layer against the config's diff IDs, so this pull
        // fails when the writer reports a wrong diff ID.
        await Node.Containerd.PullAsync(image.Reference, CancellationToken.None);
        var proof = await Node.ProveLazinessAsync(image.Reference, CancellationToken.None);

        Assert.Equal(image.LayerCount, proof.LayerCount);
        Assert.False(proof.IsLazy, proof.ToString());
        await AssertViewMatchesSourceAsync(
            image,
            NodeLayout.OverlayfsSnapshotter,
            [landmark, EStargzFormat.TocTarName]
        );
    }

    private async Task AssertViewMatchesSourceAsync(
        ConformanceImage image,
        string snapshotter,
        IReadOnlyList<string>? formatEntries = null
    )
    {
        var expected = ConformanceTree.Merge();
        SortedDictionary<string, MountedEntry> actual;
        await using (
            var view = await SnapshotView.MountAsync(
                Node,
                snapshotter,
                image.TopChainId,
                $"view-{image.Variant.ToName()}",
                CancellationToken.None
            )
        )
        {
            actual = MountedTree.Read(view.MountPoint);
        }

        // The snapshotter hides the landmark file of each eStargz layer only when it finds it at
        // the layer's root under its exact name, so a landmark would show up as unexpected.
        var missing = expected.Entries.Keys.Where(path => !actual.ContainsKey(path)).ToList();
        var unexpected = actual
            .Keys.Where(path => !expected.Entries.ContainsKey(path))
            .Where(path => formatEntries?.Contains(path) != true)
            .ToList();
        var absentFormatEntries = (formatEntries ?? []).Where(path => !actual.ContainsKey(path));
        var present = expected
            .Entries.Values.Where(entry => actual.ContainsKey(entry.Path))
            .ToList();

        Assert.Empty(missing);
        Assert.Empty(unexpected);
        Assert.Empty(absentFormatEntries);
        Assert.Empty(present.SelectMany(entry => TypeAndOwner(entry, actual[entry.Path])));
        Assert.Empty(present.SelectMany(entry => Contents(entry, actual[entry.Path], expected)));
        Assert.Empty(present.SelectMany(entry => Links(entry, actual[entry.Path])));
        Assert.Empty(present.SelectMany(entry => Devices(entry, actual[entry.Path])));
        Assert.Empty(present.SelectMany(entry => Xattrs(entry, actual[entry.Path])));
        Assert.Empty(
            expected
                .HardLinks.Where(link => actual[link.Key].Inode != actual[link.Value].Inode)
                .Select(link =>
                    $"{link.Key}: inode {actual[link.Key].Inode}, but its hard link "
                    + $"target {link.Value} has inode {actual[link.Value].Inode}"
                )
        );
    }

    private static IEnumerable<string> TypeAndOwner(SourceEntry source, MountedEntry mounted)
    {
        var type = ExpectedType(source.Type);
        if (mounted.Type != type)
        {
            yield return $"{source.Path}: type {mounted.Type}, expected {type}";
            yield break;
        }

        // Linux ignores the permission bits of a symbolic link, so they are not compared.
        if (type != FileTreeEntryType.SymbolicLink && mounted.Mode != source.Mode)
        {
            yield return $"{source.Path}: mode {Convert.ToString(mounted.Mode, 8)}, expected "
                + Convert.ToString(source.Mode, 8);
        }

        if (mounted.Uid != source.Uid || mounted.Gid != source.Gid)
        {
            yield return $"{source.Path}: owner {mounted.Uid}:{mounted.Gid}, expected "
                + $"{source.Uid}:{source.Gid}";
        }
    }

    private static IEnumerable<string> Contents(
        SourceEntry source,
        MountedEntry mounted,
        ExpectedTree expected
    )
    {
        if (mounted.Type != FileTreeEntryType.RegularFile)
        {
            yield break;
        }

        if (mounted.Size != source.Content.Length)
        {
            yield return $"{source.Path}: size {mounted.Size}, expected {source.Content.Length}";
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(source.Content));
        if (mounted.ContentHash != hash)
        {
            yield return $"{source.Path}: content SHA-256 {mounted.ContentHash}, expected {hash}";
        }

        if (mounted.ModificationTime != ConformanceTree.ModificationTime)
        {
            yield return $"{source.Path}: modified {mounted.ModificationTime:O}, expected "
                + $"{ConformanceTree.ModificationTime:O}";
        }

        var links = expected.LinkCountOf(source.Path);
        if (mounted.LinkCount != (ulong)links)
        {
            yield return $"{source.Path}: {mounted.LinkCount} links, expected {links}";
        }
    }

    private static IEnumerable<string> Links(SourceEntry source, MountedEntry mounted)
    {
        if (source.Type == TarEntryType.SymbolicLink && mounted.LinkTarget != source.LinkTarget)
        {
            yield return $"{source.Path}: link target '{mounted.LinkTarget}', expected "
                + $"'{source.LinkTarget}'";
        }
    }

    private static IEnumerable<string> Devices(SourceEntry source, MountedEntry mounted)
    {
        if (
            source.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice
            && (
                mounted.DeviceMajor != source.DeviceMajor
                || mounted.DeviceMinor != source.DeviceMinor
            )
        )
        {
            yield return $"{source.Path}: device {mounted.DeviceMajor}:{mounted.DeviceMinor}, "
                + $"expected {source.DeviceMajor}:{source.DeviceMinor}";
        }
    }

    private static IEnumerable<string> Xattrs(SourceEntry source, MountedEntry mounted)
    {
        if (source.Type == TarEntryType.SymbolicLink)
        {
            yield break;
        }

        var expected = source
            .Xattrs.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}=0x{Convert.ToHexStringLower(pair.Value)}");
        var actual = mounted
            .Xattrs.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}=0x{Convert.ToHexStringLower(pair.Value)}");
        if (!expected.SequenceEqual(actual))
        {
            yield return $"{source.Path}: xattrs [{string.Join(", ", actual)}], expected "
                + $"[{string.Join(", ", expected)}]";
        }
    }

    private static FileTreeEntryType ExpectedType(TarEntryType type) =>
        type switch
        {
            TarEntryType.Directory => FileTreeEntryType.Directory,
            TarEntryType.RegularFile or TarEntryType.HardLink => FileTreeEntryType.RegularFile,
            TarEntryType.SymbolicLink => FileTreeEntryType.SymbolicLink,
            TarEntryType.Fifo => FileTreeEntryType.Fifo,
            TarEntryType.CharacterDevice => FileTreeEntryType.CharacterDevice,
            TarEntryType.BlockDevice => FileTreeEntryType.BlockDevice,
            _ => throw new ArgumentOutOfRangeException(
                nameof(type),
                type,
                "not in the source tree"
            ),
        };
}
