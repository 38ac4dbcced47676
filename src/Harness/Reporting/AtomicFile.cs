namespace Harness.Reporting;

/// <summary>
/// Writes a file by writing a temporary file next to it, syncing it and renaming it over the
/// target, so readers see either the old file or the whole new one, never half of it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes the content produced by <paramref name="write"/> to
    /// <paramref name="path"/> atomically.</summary>
    public static async Task WriteAsync(
        string path,
        Func<Stream, CancellationToken, Task> write,
        CancellationToken token
    )
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (
                var stream = new FileStream(
                    temporary,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None
                )
            )
            {
                await write(stream, token);
                await stream.FlushAsync(token);
                stream.Flush(flushToDisk: true);
            }

            // rename(2) within one folder replaces the target atomically on POSIX file systems.
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes text as UTF-8 (no byte order mark) atomically.</summary>
    public static Task WriteTextAsync(string path, string text, CancellationToken token) =>
        WriteAsync(
            path,
            async (stream, cancel) =>
            {
                var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
                await stream.WriteAsync(bytes, cancel);
            },
            token
        );

    /// <summary>Writes bytes atomically.</summary>
    public static Task WriteBytesAsync(string path, byte[] bytes, CancellationToken token) =>
        WriteAsync(path, async (stream, cancel) => await stream.WriteAsync(bytes, cancel), token);
}
