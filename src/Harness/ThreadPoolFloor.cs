namespace Harness;

/// <summary>
/// Raises the thread pool's minimum size. On a two-core machine the pool starts with two
/// worker threads and adds more only every half second or so while work waits. Such a wait
/// inside the registry link stalls the emulated network and so lengthens measured pulls. In
/// the link's tests on a two-core machine, one request in a few took 0.7 to 1 s instead of
/// 21 ms until the minimum was raised.
/// </summary>
public static class ThreadPoolFloor
{
    /// <summary>Minimum worker and I/O completion threads.</summary>
    public const int MinimumThreads = 32;

    /// <summary>Raises the minimum to <see cref="MinimumThreads"/> unless it is already higher.
    /// </summary>
    public static void Apply()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(
            Math.Max(workers, MinimumThreads),
            Math.Max(completionPorts, MinimumThreads)
        );
    }
}
