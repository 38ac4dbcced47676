using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>The few C library calls .NET does not wrap: effective uid, signals, unmount.</summary>
internal static partial class LibC
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Detaches the mount now and cleans it up once it is no longer busy
    /// (<c>MNT_DETACH</c> in linux/mount.h).</summary>
    public const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true)]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc")]
    public static partial void sync();
}
