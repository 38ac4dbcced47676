namespace Harness.Images;

/// <summary>One traced system call on a file.</summary>
/// <param name="Call">System call name, such as <c>openat</c> or <c>execve</c>.</param>
/// <param name="Path">Absolute path as the traced process saw it.</param>
public sealed record TracedFileAccess(string Call, string Path)
{
    /// <summary>True for <c>execve</c> and <c>execveat</c>, after which the kernel also reads
    /// the program's ELF interpreter without a traced call.</summary>
    public bool IsExecute => Call is "execve" or "execveat";
}
