using Harness.Native;

namespace Harness.Node;

/// <summary>Reads the kernel's mount table and detaches mounts below a folder.</summary>
internal static class MountTable
{
    /// <summary>Mount points at or below <paramref name="folder"/> with their file system
    /// types, deepest first so they can be unmounted in order.</summary>
    public static IReadOnlyList<(string MountPoint, string FileSystemType)> Below(string folder)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var mounts = new List<(string, string)>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // mountinfo(5): the fifth field is the mount point; the file system type follows the
            // " - " separator.
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 1 >= fields.Length)
            {
                continue;
            }

            var mountPoint = Unescape(fields[4]);
            if (
                mountPoint == prefix
                || mountPoint.StartsWith(prefix + "/", StringComparison.Ordinal)
            )
            {
                mounts.Add((mountPoint, fields[separator + 1]));
            }
        }

        return mounts
            .OrderByDescending(mount => mount.Item1.Count(character => character == '/'))
            .ToList();
    }

    /// <summary>Detaches every mount below <paramref name="folder"/>; returns how many.</summary>
    public static int DetachAllBelow(string folder)
    {
        var detached = 0;
        foreach (var (mountPoint, _) in Below(folder))
        {
            if (LibC.umount2(mountPoint, LibC.MNT_DETACH) == 0)
            {
                detached++;
            }
        }

        var left = Below(folder);
        if (left.Count > 0)
        {
            throw new HarnessException(
                $"Could not unmount {left.Count} mount(s) below {folder}, first "
                    + $"{left[0].MountPoint} ({left[0].FileSystemType}). Check what holds it with "
                    + $"'fuser -vm {left[0].MountPoint}'."
            );
        }

        return detached;
    }

    // The kernel escapes space, tab, newline and backslash in mountinfo as octal (\040 ...).
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var builder = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length
        && text.Skip(start).Take(3).All(character => character is >= '0' and <= '7');
}
