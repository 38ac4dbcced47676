namespace Harness.Backends.Knative;

/// <summary>
/// Reads which snapshotter containerd's CRI plugin uses for pods from a containerd
/// <c>config.toml</c>. vHive's stargz setup writes <c>snapshotter = "stargz"</c> there, so
/// every pod on the node, eStargz or not, is served by the stargz snapshotter.
/// </summary>
internal static class ContainerdSnapshotterConfig
{
    /// <summary>containerd's built-in default when the config names no snapshotter.</summary>
    public const string DefaultSnapshotter = "overlayfs";

    // Tables that hold the CRI snapshotter: config version 2 (containerd 1.x), version 1
    // (containerd 1.0 to 1.4) and version 3 (containerd 2.x).
    private static readonly string[] CriTables =
    [
        "plugins.\"io.containerd.grpc.v1.cri\".containerd",
        "plugins.cri.containerd",
        "plugins.\"io.containerd.cri.v1.images\"",
    ];

    /// <summary>Returns the CRI snapshotter named in the config file at
    /// <paramref name="path"/>, or null when the file does not exist.</summary>
    public static string? ReadSnapshotter(string path) =>
        File.Exists(path) ? ParseSnapshotter(File.ReadAllText(path)) : null;

    /// <summary>Returns the CRI snapshotter named in config text, or containerd's default.
    /// </summary>
    public static string ParseSnapshotter(string configText)
    {
        var table = "";
        foreach (var rawLine in configText.Split('\n'))
        {
            var line = StripComment(rawLine).Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                table = NormalizeTableName(line.Trim('[', ']').Trim());
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals < 0 || line[..equals].Trim() != "snapshotter")
            {
                continue;
            }

            if (CriTables.Contains(table))
            {
                return line[(equals + 1)..].Trim().Trim('"', '\'');
            }
        }

        return DefaultSnapshotter;
    }

    // TOML allows single-quoted keys, as containerd 2.x's default config uses.
    private static string NormalizeTableName(string name) => name.Replace('\'', '"');

    private static string StripComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is '"' or '\'')
            {
                inString = !inString;
            }
            else if (line[i] == '#' && !inString)
            {
                return line[..i];
            }
        }

        return line;
    }
}
