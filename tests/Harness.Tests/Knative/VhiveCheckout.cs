namespace Harness.Tests.Knative;

/// <summary>Builds a stand-in vHive checkout whose setup scripts record their arguments and
/// exit with chosen codes.</summary>
internal static class VhiveCheckout
{
    public static string Create(
        string parent,
        string recordPath,
        int setupExitCode = 0,
        int clusterExitCode = 0,
        int outputLines = 2
    )
    {
        var root = Path.Combine(parent, "vhive");
        WriteScript(
            Path.Combine(root, "scripts", "cloudlab", "setup_node.sh"),
            recordPath,
            setupExitCode,
            outputLines
        );
        WriteScript(
            Path.Combine(root, "scripts", "cluster", "create_one_node_cluster.sh"),
            recordPath,
            clusterExitCode,
            outputLines
        );
        return root;
    }

    /// <summary>Writes an executable shell script and returns its path.</summary>
    public static string WriteExecutable(string path, string body, string shell = "/bin/sh")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#!{shell}\n" + body);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The stand-in scripts need a POSIX shell.");
        }

        File.SetUnixFileMode(
            path,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        );
        return path;
    }

    private static void WriteScript(string path, string recordPath, int exitCode, int lines)
    {
        WriteExecutable(
            path,
            $"""
            echo "$(basename "$0") $* (in $(pwd))" >> '{recordPath}'
            i=1
            while [ $i -le {lines} ]; do echo "output line $i"; i=$((i + 1)); done
            echo "warning on stderr" >&2
            exit {exitCode}

            """
        );
    }
}
