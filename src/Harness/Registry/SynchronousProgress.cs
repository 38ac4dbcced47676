namespace Harness.Registry;

/// <summary>
/// Progress sink that calls its handler on the reporting thread, unlike
/// <see cref="Progress{T}"/>, which posts to a synchronization context and may reorder reports.
/// A pusher uploads blobs in parallel, so the handler may be called from several threads at
/// once and must be thread-safe.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <summary>Passes a report to the handler.</summary>
    public void Report(T value) => handler(value);
}
