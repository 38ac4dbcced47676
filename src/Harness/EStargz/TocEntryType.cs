namespace Harness.EStargz;

/// <summary>Values of a TOC entry's <c>type</c> field, as estargz.md lists them.</summary>
public static class TocEntryType
{
    public const string Directory = "dir";
    public const string Regular = "reg";
    public const string Symlink = "symlink";
    public const string HardLink = "hardlink";
    public const string CharacterDevice = "char";
    public const string BlockDevice = "block";
    public const string Fifo = "fifo";

    /// <summary>The second and later chunks of a regular file.</summary>
    public const string Chunk = "chunk";
}
