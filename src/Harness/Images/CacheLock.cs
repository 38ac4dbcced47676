namespace Harness.Images;

/// <summary>
/// An exclusive lock on one cache entry, held as an open lock file, so that two harness
/// processes never build the same entry at once. The operating system releases it when the
/// process exits, even after a crash.
/// </summary>
internal sealed class CacheLock : IAsyncDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly FileStream _stream;

    private CacheLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Waits until the lock file <paramref name="path"/> can be opened exclusively.
    /// </summary>
    public static async Task<CacheLock> AcquireAsync(
        string path,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var reported = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(
                    path,
                    FileMode.OpenOrCreate,
                    FileAccess.ReadWrite,
                    FileShare.None
                );
                return new CacheLock(stream);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!reported)
                {
                    progress?.Report($"Waiting for another harness process to release {path}");
                    reported = true;
                }

                await Task.Delay(RetryInterval, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
