using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Images;

/// <summary>
/// Calls the C library for the file metadata .NET does not expose: owner, inode, device
/// numbers and extended attributes, without following symbolic links.
/// </summary>
internal static class NativeFileStatus
{
    // File type bits of st_mode (sys/stat.h).
    private const int TypeMask = 0xF000;
    private const int TypeSocket = 0xC000;
    private const int TypeSymbolicLink = 0xA000;
    private const int TypeRegularFile = 0x8000;
    private const int TypeBlockDevice = 0x6000;
    private const int TypeDirectory = 0x4000;
    private const int TypeCharacterDevice = 0x2000;
    private const int TypeFifo = 0x1000;

    private const int ErrorNoData = 61;
    private const int ErrorNotSupported = 95;
    private const int ErrorRange = 34;

    /// <summary>Reads the metadata of <paramref name="path"/> without following a link.</summary>
    public static FileStatus Stat(string path)
    {
        EnsureSupportedPlatform();
        if (LinuxStat(path, out var status) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException(
                $"lstat failed for {path}: {new Win32Exception(error).Message}",
                error
            );
        }

        var type = (status.Mode & TypeMask) switch
        {
            TypeRegularFile => FileTreeEntryType.RegularFile,
            TypeDirectory => FileTreeEntryType.Directory,
            TypeSymbolicLink => FileTreeEntryType.SymbolicLink,
            TypeCharacterDevice => FileTreeEntryType.CharacterDevice,
            TypeBlockDevice => FileTreeEntryType.BlockDevice,
            TypeFifo => FileTreeEntryType.Fifo,
            TypeSocket => FileTreeEntryType.Socket,
            var other => throw new IOException(
                $"lstat returned the unknown file type 0x{other:x} for {path}."
            ),
        };

        // glibc's gnu_dev_major and gnu_dev_minor split a 64-bit dev_t this way.
        var rdev = status.SpecialDevice;
        var major = (int)(((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL));
        var minor = (int)((rdev & 0xff) | ((rdev >> 12) & ~0xffUL));
        return new FileStatus(
            type,
            (int)(status.Mode & 0xFFF),
            (int)status.UserId,
            (int)status.GroupId,
            status.Size,
            status.Device,
            status.Inode,
            status.LinkCount,
            major,
            minor
        );
    }

    /// <summary>Reads all extended attributes of <paramref name="path"/>, sorted by name.
    /// </summary>
    public static SortedDictionary<string, byte[]> ReadExtendedAttributes(string path)
    {
        var attributes = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var size = ListAttributes(path, null, 0);
        if (size < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == ErrorNotSupported)
            {
                return attributes;
            }

            throw new IOException(
                $"llistxattr failed for {path}: {new Win32Exception(error).Message}",
                error
            );
        }

        if (size == 0)
        {
            return attributes;
        }

        var names = new byte[size];
        size = ListAttributes(path, names, names.Length);
        if (size < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException(
                $"llistxattr failed for {path}: {new Win32Exception(error).Message}",
                error
            );
        }

        // The list is a sequence of NUL-terminated names.
        foreach (
            var name in Encoding
                .UTF8.GetString(names, 0, (int)size)
                .Split('\0', StringSplitOptions.RemoveEmptyEntries)
        )
        {
            var value = ReadAttribute(path, name);
            if (value is not null)
            {
                attributes[name] = value;
            }
        }

        return attributes;
    }

    private static byte[]? ReadAttribute(string path, string name)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var size = GetAttribute(path, name, null, 0);
            if (size < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == ErrorNoData)
                {
                    // Removed between listing and reading.
                    return null;
                }

                throw new IOException(
                    $"lgetxattr {name} failed for {path}: {new Win32Exception(error).Message}",
                    error
                );
            }

            var value = new byte[size];
            var read = GetAttribute(path, name, value, value.Length);
            if (read >= 0)
            {
                return read == value.Length ? value : value[..(int)read];
            }

            if (Marshal.GetLastPInvokeError() != ErrorRange)
            {
                var error = Marshal.GetLastPInvokeError();
                throw new IOException(
                    $"lgetxattr {name} failed for {path}: {new Win32Exception(error).Message}",
                    error
                );
            }

            // The value grew between the two calls: ask for its size again.
        }

        throw new IOException($"lgetxattr {name} kept changing size for {path}.");
    }

    private static void EnsureSupportedPlatform()
    {
        // The struct stat layout below is the x86-64 Linux one, and other ABIs differ.
        if (
            !OperatingSystem.IsLinux()
            || RuntimeInformation.ProcessArchitecture != Architecture.X64
        )
        {
            throw new HarnessException(
                "Building images needs Linux on x86-64 (amd64), found "
                    + $"{RuntimeInformation.OSDescription} on "
                    + $"{RuntimeInformation.ProcessArchitecture}."
            );
        }
    }

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
    private static extern int LinuxStat(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        out LinuxStatBuffer buffer
    );

    [DllImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    private static extern nint ListAttributes(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        byte[]? list,
        nint size
    );

    [DllImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static extern nint GetAttribute(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        byte[]? value,
        nint size
    );

    /// <summary>Result of <see cref="Stat"/>.</summary>
    internal readonly record struct FileStatus(
        FileTreeEntryType Type,
        int Mode,
        int UserId,
        int GroupId,
        long Size,
        ulong Device,
        ulong Inode,
        ulong LinkCount,
        int DeviceMajor,
        int DeviceMinor
    );

    /// <summary>struct stat of the x86-64 Linux ABI (144 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LinuxStatBuffer
    {
        public ulong Device;
        public ulong Inode;
        public ulong LinkCount;
        public uint Mode;
        public uint UserId;
        public uint GroupId;
        public int Padding0;
        public ulong SpecialDevice;
        public long Size;
        public long BlockSize;
        public long Blocks;
        public long AccessSeconds;
        public long AccessNanoseconds;
        public long ModifySeconds;
        public long ModifyNanoseconds;
        public long ChangeSeconds;
        public long ChangeNanoseconds;
        public long Reserved0;
        public long Reserved1;
        public long Reserved2;
    }
}
