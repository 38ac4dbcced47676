using Harness.Images;
using Harness.Processes;
using Xunit;

namespace Harness.Tests.Images;

public sealed class RootFilesystemCleanerTests
{
    [Fact]
    public void CleanKeepsOnlyWhatSlimImagesKeep()
    {
        using var tree = new TemporaryTree();
        tree.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
            .File("etc/resolv.conf", "nameserver 127.0.0.53\n")
            .File("etc/hostname", "build-host\n")
            .File("var/lib/apt/lists/deb.debian.org_Packages", "Package: x\n")
            .File("var/cache/apt/pkgcache.bin", "cache")
            .File("var/cache/ldconfig/aux-cache", "cache")
            .File("var/log/apt/history.log", "Start-Date: now\n")
            .File("var/log/dpkg.log", "install x\n")
            .File("var/lib/dpkg/status", "Package: x\n")
            .File("var/lib/dpkg/status-old", "Package: x\n")
            .File("usr/share/doc/pkg/copyright", "MIT\n")
            .File("usr/share/doc/pkg/changelog.gz", "log")
            .File("usr/share/man/man1/x.1.gz", "man")
            .File("usr/share/locale/locale.alias", "alias\n")
            .File("usr/share/locale/de/LC_MESSAGES/x.mo", "mo");

        RootFilesystemCleaner.Clean(tree.Root);

        var files = Directory
            .EnumerateFiles(tree.Root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(tree.Root, path))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                "etc/passwd",
                "usr/share/doc/pkg/copyright",
                "usr/share/locale/locale.alias",
                "var/lib/dpkg/status",
            ],
            files
        );
    }

    [Fact]
    public void CleanKeepsLogAndListFolders()
    {
        using var tree = new TemporaryTree();
        tree.File("var/log/apt/history.log", "x").File("var/lib/apt/lists/partial/x", "y");

        RootFilesystemCleaner.Clean(tree.Root);

        Assert.True(Directory.Exists(tree.PathOf("var/log/apt")));
        Assert.True(Directory.Exists(tree.PathOf("var/lib/apt/lists")));
        Assert.False(Directory.Exists(tree.PathOf("var/lib/apt/lists/partial")));
    }

    [Fact]
    public void CleanDoesNotFollowLinksOutOfTree()
    {
        using var outside = new TemporaryTree();
        outside.File("precious", "keep me");
        using var tree = new TemporaryTree();
        tree.Folder("var").SymbolicLink("var/log", outside.Root);

        RootFilesystemCleaner.Clean(tree.Root);

        Assert.True(File.Exists(outside.PathOf("precious")));
    }

    [RootFact(Timeout = 30_000)]
    public Task CleanStopsAtMountedLogFolder() => AssertCleanStopsAtMountAsync("var/log/apt");

    [RootFact(Timeout = 30_000)]
    public Task CleanStopsAtMountedTemporaryFolder() => AssertCleanStopsAtMountAsync("tmp/scratch");

    /// <summary>Mounts a tmpfs at <paramref name="folder"/> of a tree, writes a file into it
    /// and checks that cleaning fails instead of deleting that file.</summary>
    private static async Task AssertCleanStopsAtMountAsync(string folder)
    {
        using var tree = new TemporaryTree();
        tree.Folder(folder);
        var mount = tree.PathOf(folder);
        await ProcessRunner.RunAsync(
            "mount",
            ["-t", "tmpfs", "tmpfs", mount],
            CancellationToken.None
        );
        try
        {
            tree.File($"{folder}/data.log", "on another file system\n");

            var error = Assert.Throws<IOException>(() => RootFilesystemCleaner.Clean(tree.Root));

            Assert.Contains("is a mount point", error.Message);
            Assert.True(File.Exists(tree.PathOf($"{folder}/data.log")));
        }
        finally
        {
            await ProcessRunner.TryRunAsync("umount", [mount], CancellationToken.None);
        }
    }
}
