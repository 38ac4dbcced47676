namespace Harness.Images;

/// <summary>
/// Removes from a Debian root filesystem what slim container images leave out: package
/// lists, caches, logs, documentation and the host's network settings. Much of it differs from
/// one build to the next, so removing it also keeps layers comparable.
/// </summary>
public static class RootFilesystemCleaner
{
    /// <summary>Version of the rules below, part of every tree's cache key.
    /// </summary>
    public const string Version = "clean-v1";

    // Folders whose contents go, keeping the folder itself.
    private static readonly string[] EmptiedFolders =
    [
        "var/lib/apt/lists",
        "var/cache/apt",
        "var/cache/ldconfig",
        "usr/share/man",
        "usr/share/info",
        "usr/share/groff",
        "usr/share/lintian",
        "usr/share/linda",
        "dev",
        "proc",
        "sys",
        "tmp",
        "var/tmp",
    ];

    // Single files that carry the build host's settings or the time of the build.
    private static readonly string[] DeletedFiles =
    [
        "etc/resolv.conf",
        "etc/hostname",
        "etc/hosts",
        "etc/machine-id",
        "var/lib/dbus/machine-id",
    ];

    // Backup copies that dpkg and debconf keep of their databases.
    private static readonly string[] BackupFolders = ["var/cache/debconf", "var/lib/dpkg"];

    /// <summary>Cleans the tree at <paramref name="root"/> in place.</summary>
    public static void Clean(string root)
    {
        foreach (var folder in EmptiedFolders)
        {
            TreeFiles.DeleteContents(Path.Combine(root, folder));
        }

        foreach (var file in DeletedFiles)
        {
            TreeFiles.Delete(Path.Combine(root, file));
        }

        foreach (var folder in BackupFolders)
        {
            TreeFiles.DeleteContents(Path.Combine(root, folder), keep: name =>
                !name.EndsWith("-old", StringComparison.Ordinal)
            );
        }

        // Logs go, but their folders stay because packages expect them to exist.
        DeleteFilesKeepingFolders(Path.Combine(root, "var", "log"));

        // As in Debian's slim images: documentation goes except the copyright notices, and
        // translations go except the alias table.
        var documentation = Path.Combine(root, "usr", "share", "doc");
        if (Directory.Exists(documentation))
        {
            foreach (var package in Directory.EnumerateDirectories(documentation))
            {
                if (NativeFileStatus.Stat(package).Type == FileTreeEntryType.Directory)
                {
                    TreeFiles.DeleteContents(package, keep: name => name == "copyright");
                }
            }
        }

        TreeFiles.DeleteContents(Path.Combine(root, "usr", "share", "locale"), keep: name =>
            name == "locale.alias"
        );
    }

    private static void DeleteFilesKeepingFolders(string folder)
    {
        if (
            !Directory.Exists(folder)
            || NativeFileStatus.Stat(folder).Type != FileTreeEntryType.Directory
        )
        {
            return;
        }

        foreach (var child in Directory.EnumerateFileSystemEntries(folder).ToList())
        {
            if (NativeFileStatus.Stat(child).Type == FileTreeEntryType.Directory)
            {
                TreeFiles.EnsureNotMountPoint(child);
                DeleteFilesKeepingFolders(child);
            }
            else
            {
                File.Delete(child);
            }
        }
    }
}
