using Harness.Images;
using Xunit;

namespace Harness.Tests.Images;

public sealed class ImagePathResolverTests
{
    [Fact]
    public void AbsoluteLinkStaysInsideRoot()
    {
        using var tree = new TemporaryTree();
        tree.File("usr/lib/ld.so", "loader")
            .SymbolicLink("lib", "usr/lib")
            .SymbolicLink("lib64/ld-linux.so", "/lib/ld.so");

        var visited = ImagePathResolver.Resolve(tree.Root, "/lib64/ld-linux.so");

        Assert.Equal(["lib64/ld-linux.so", "lib", "usr/lib/ld.so"], visited);
    }

    [Fact]
    public void DotDotStopsAtRoot()
    {
        using var tree = new TemporaryTree();
        tree.File("etc/passwd", "root:x:0:0").SymbolicLink("escape", "../../../../etc/passwd");

        var visited = ImagePathResolver.Resolve(tree.Root, "/escape");

        Assert.Equal(["escape", "etc/passwd"], visited);
    }

    [Fact]
    public void MissingPathGivesEmptyList()
    {
        using var tree = new TemporaryTree();
        tree.File("etc/passwd", "x");

        Assert.Empty(ImagePathResolver.Resolve(tree.Root, "/etc/shadow"));
        Assert.Empty(ImagePathResolver.Resolve(tree.Root, "/etc/passwd/below-a-file"));
    }

    [Fact]
    public void LinkLoopGivesEmptyList()
    {
        using var tree = new TemporaryTree();
        tree.SymbolicLink("a", "b").SymbolicLink("b", "a");

        Assert.Empty(ImagePathResolver.Resolve(tree.Root, "/a"));
    }
}
