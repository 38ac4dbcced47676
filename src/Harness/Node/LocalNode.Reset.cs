using System.Diagnostics;
using Harness.Native;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

public sealed partial class LocalNode
{
    private const string DropCachesPath = "/proc/sys/vm/drop_caches";
    private bool warnedAboutPageCache;

    /// <summary>
    /// Brings the node to a true cold state and returns how long that took: no containers,
    /// images, content, leases or snapshots, no snapshotter cache or FUSE mount, page cache
    /// dropped. The registry and its blobs stay.
    /// </summary>
    /// <remarks>
    /// containerd and the snapshotter are restarted on empty state folders rather than emptied
    /// through their APIs. That is faster than removing images and snapshots one by one. It also
    /// drops what they keep in memory. The snapshotter caches resolved layers for two minutes
    /// by default, which would make the next lazy pull of the same layer warm.
    /// </remarks>
    public async Task<TimeSpan> ResetAsync(CancellationToken cancellationToken)
    {
        EnsureRoot("node reset");
        var stopwatch = Stopwatch.StartNew();
        var stargzPid = RunningPid(NodeComponent.Stargz) ?? throw NotUp();
        if (
            RunningPid(NodeComponent.Containerd) is null
            || RunningPid(NodeComponent.Registry) is null
        )
        {
            throw NotUp();
        }

        var daemon = File.ResolveLinkTarget(
            $"/proc/{stargzPid}/exe",
            returnFinalTarget: true
        )?.FullName
            ?? throw new HarnessException(
                $"Could not find the executable of the running snapshotter (pid {stargzPid})."
            );

        // Restarts are routine here, so they are logged only with --verbose.
        StartLogLevel = LogLevel.Debug;
        try
        {
            await RestartRuntimeColdAsync(daemon, dropPageCache: true, cancellationToken);
        }
        finally
        {
            StartLogLevel = LogLevel.Information;
        }

        return stopwatch.Elapsed;
    }

    private HarnessException NotUp() =>
        new("The node is not up (see './harness node status'). Start it with './harness node up'.");

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes dirty pages back, then drops the page cache, dentries and inodes, so
    /// that image files are read from disk again (proc(5), drop_caches value 3).</summary>
    private void DropPageCache()
    {
        LibC.sync();
        try
        {
            File.WriteAllText(DropCachesPath, "3");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (!warnedAboutPageCache)
            {
                logger.LogWarning(
                    "Could not drop the page cache ({Error}); samples continue with a warm page "
                        + "cache, which favours whichever variant reads more local data.",
                    exception.Message
                );
                warnedAboutPageCache = true;
            }
        }
    }
}
