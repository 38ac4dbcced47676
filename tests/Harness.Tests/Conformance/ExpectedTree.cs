namespace Harness.Tests.Conformance;

/// <summary>The merged view an image of <see cref="ConformanceTree"/> must show.</summary>
/// <param name="Entries">Entries by path, hard links already resolved to their target's
/// metadata.</param>
/// <param name="HardLinks">Path of each hard link and the path it must share an inode with.
/// </param>
internal sealed record ExpectedTree(
    IReadOnlyDictionary<string, SourceEntry> Entries,
    IReadOnlyDictionary<string, string> HardLinks
)
{
    /// <summary>Number of names that a regular file at <paramref name="path"/> has.</summary>
    public int LinkCountOf(string path)
    {
        var target = HardLinks.GetValueOrDefault(path, path);
        return 1 + HardLinks.Values.Count(value => value == target);
    }
}
