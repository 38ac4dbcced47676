using Harness.Images;
using Xunit;

namespace Harness.Tests.Images;

public sealed class LayerDiffTests
{
    [Fact]
    public void AddedChangedAndDeletedPathsBecomeEntries()
    {
        using var lower = new TemporaryTree();
        lower
            .File("etc/a", "one")
            .File("etc/b", "gone soon")
            .File("etc/keep", "same")
            .File("usr/lib/x/y", "inside a folder that goes")
            .File("opt/f", "mode changes");
        using var upper = new TemporaryTree();
        upper
            .File("etc/a", "two")
            .File("etc/keep", "same")
            .File("etc/new", "added")
            .Folder("usr/lib")
            .File("opt/f", "mode changes", 0b111_101_101);

        var names = Diff(lower, upper).Select(entry => entry.Name).ToList();

        // The deleted folder usr/lib/x needs one whiteout, not one per child. Unchanged
        // etc/keep is left out, and the parents of every change are included.
        Assert.Equal(
            [
                "etc",
                "etc/.wh.b",
                "etc/a",
                "etc/new",
                "opt",
                "opt/f",
                "usr",
                "usr/lib",
                "usr/lib/.wh.x",
            ],
            names
        );
    }

    [Fact]
    public void WhiteoutsCarryNoSource()
    {
        using var lower = new TemporaryTree();
        lower.File("etc/b", "gone soon");
        using var upper = new TemporaryTree();
        upper.Folder("etc");

        var entries = Diff(lower, upper);

        Assert.Equal(2, entries.Count);
        Assert.False(entries[0].IsWhiteout);
        Assert.True(entries[1].IsWhiteout);
        Assert.Equal("etc/.wh.b", entries[1].Name);
    }

    [Fact]
    public void FolderReplacedByFileNeedsNoWhiteouts()
    {
        using var lower = new TemporaryTree();
        lower.File("d/child", "x");
        using var upper = new TemporaryTree();
        upper.File("d", "now a file");

        var entries = Diff(lower, upper);

        var entry = Assert.Single(entries);
        Assert.Equal("d", entry.Name);
        Assert.Equal(FileTreeEntryType.RegularFile, entry.Source!.Type);
    }

    [Fact]
    public void FileReplacedByFolderAddsFolderAndChildren()
    {
        using var lower = new TemporaryTree();
        lower.File("d", "a file");
        using var upper = new TemporaryTree();
        upper.File("d/child", "x");

        var names = Diff(lower, upper).Select(entry => entry.Name).ToList();

        Assert.Equal(["d", "d/child"], names);
    }

    [Fact]
    public void TopLevelDeletionGetsTopLevelWhiteout()
    {
        using var lower = new TemporaryTree();
        lower.File("gone/file", "x").File("kept", "y");
        using var upper = new TemporaryTree();
        upper.File("kept", "y");

        var names = Diff(lower, upper).Select(entry => entry.Name).ToList();

        Assert.Equal([".wh.gone"], names);
    }

    [Fact]
    public void SameContentWithNewTimeIsUnchanged()
    {
        using var lower = new TemporaryTree();
        lower.File("etc/a", "same").SymbolicLink("etc/link", "a");
        using var upper = new TemporaryTree();
        upper.File("etc/a", "same").SymbolicLink("etc/link", "a");
        File.SetLastWriteTimeUtc(upper.PathOf("etc/a"), DateTime.UtcNow.AddDays(1));

        Assert.Empty(Diff(lower, upper));
    }

    [Fact]
    public void SameSizeDifferentBytesIsChanged()
    {
        using var lower = new TemporaryTree();
        lower.File("data", "abcd");
        using var upper = new TemporaryTree();
        upper.File("data", "abce");

        Assert.Equal("data", Assert.Single(Diff(lower, upper)).Name);
    }

    [Fact]
    public void ChangedLinkTargetIsChanged()
    {
        using var lower = new TemporaryTree();
        lower.SymbolicLink("link", "one");
        using var upper = new TemporaryTree();
        upper.SymbolicLink("link", "two");

        var entry = Assert.Single(Diff(lower, upper));

        Assert.Equal("two", entry.Source!.LinkTarget);
    }

    private static IReadOnlyList<LayerEntry> Diff(TemporaryTree lower, TemporaryTree upper)
    {
        // Both roots are fresh temporary folders, so their own metadata plays no part.
        return LayerDiff.Compute(
            FileTreeScanner.Scan(lower.Root, CancellationToken.None),
            FileTreeScanner.Scan(upper.Root, CancellationToken.None),
            CancellationToken.None
        );
    }
}
