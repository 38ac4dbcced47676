namespace Harness.Images;

/// <summary>
/// Resolves a path as a process inside a root filesystem would, following symbolic links
/// without ever leaving the root, and lists every object it passes through.
/// </summary>
public static class ImagePathResolver
{
    // Linux gives up after 40 links in one lookup (path_resolution(7)).
    private const int MaxLinks = 40;

    /// <summary>
    /// Resolves <paramref name="path"/> inside <paramref name="root"/> and returns the relative
    /// paths of the symbolic links followed and, last, of the object reached. The list is empty
    /// when the path does not exist.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string root, string path)
    {
        var visited = new List<string>();
        var remaining = new Queue<string>(Split(path));
        var current = new List<string>();
        var links = 0;
        while (remaining.Count > 0)
        {
            var part = remaining.Dequeue();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (current.Count > 0)
                {
                    current.RemoveAt(current.Count - 1);
                }

                continue;
            }

            var candidate = string.Join('/', current.Append(part));
            var onDisk = Path.Combine(root, candidate);
            if (!Path.Exists(onDisk) && new FileInfo(onDisk).LinkTarget is null)
            {
                return [];
            }

            var status = NativeFileStatus.Stat(onDisk);
            if (status.Type != FileTreeEntryType.SymbolicLink)
            {
                if (remaining.Count > 0 && status.Type != FileTreeEntryType.Directory)
                {
                    return [];
                }

                current.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                return [];
            }

            visited.Add(candidate);
            var target = new FileInfo(onDisk).LinkTarget ?? "";
            if (target.StartsWith('/'))
            {
                current.Clear();
            }

            remaining = new Queue<string>(Split(target).Concat(remaining));
        }

        if (current.Count > 0)
        {
            visited.Add(string.Join('/', current));
        }

        return visited;
    }

    private static string[] Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
