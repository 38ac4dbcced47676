namespace Harness.Images;

/// <summary>Kind of a file system object, as <c>lstat</c> reports it.</summary>
public enum FileTreeEntryType
{
    RegularFile,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
