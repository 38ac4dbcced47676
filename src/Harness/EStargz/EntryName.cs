namespace Harness.EStargz;

/// <summary>
/// Normalises tar entry names the way the Go library does (<c>path.Clean("/" + name)</c> without
/// the leading slash), so "./a/b/", "/a/b" and "a/../a/b" all name "a/b" and the root is "".
/// </summary>
public static class EntryName
{
    /// <summary>Returns the cleaned, root-relative form of a tar entry name.</summary>
    public static string Clean(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                // ".." at the root stays at the root, as path.Clean does for rooted paths.
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Returns the cleaned name of the parent directory; "" for top-level
    /// entries.</summary>
    public static string Parent(string cleanName)
    {
        var slash = cleanName.LastIndexOf('/');
        return slash < 0 ? "" : cleanName[..slash];
    }
}
