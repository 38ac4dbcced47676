using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Tests.Images;

/// <summary>A root filesystem tree in a temporary folder, deleted on dispose.</summary>
internal sealed class TemporaryTree : IDisposable
{
    public TemporaryTree(string prefix = "harness-tree-")
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public TemporaryTree File(string relative, string content, int mode = 0b110_100_100)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        ChangeMode(path, mode);
        return this;
    }

    public TemporaryTree Folder(string relative, int mode = 0b111_101_101)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(path);
        ChangeMode(path, mode);
        return this;
    }

    public TemporaryTree SymbolicLink(string relative, string target)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return this;
    }

    public TemporaryTree HardLink(string relative, string existing)
    {
        if (CreateHardLink(PathOf(existing), PathOf(relative)) != 0)
        {
            throw new IOException($"link failed with errno {Marshal.GetLastPInvokeError()}");
        }

        return this;
    }

    /// <summary>Sets an extended attribute and returns false when the file system has none.
    /// </summary>
    public bool TrySetAttribute(string relative, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return SetAttribute(PathOf(relative), name, bytes, bytes.Length, 0) == 0;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static void ChangeMode(string path, int mode)
    {
        // chmod(2) directly: the tests run on Linux only, like the code under test.
        if (ChangeModeNative(path, mode) != 0)
        {
            throw new IOException($"chmod failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int ChangeModeNative(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        int mode
    );

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int CreateHardLink(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string existing,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string created
    );

    [DllImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    private static extern int SetAttribute(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        byte[] value,
        nint size,
        int flags
    );
}
