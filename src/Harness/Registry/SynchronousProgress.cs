namespace Harness.Registry;

/// <summary>
/// Progress sink that calls its handler on the reporting thread, unlike
/// <see cref="Progress{T}"/>, which posts to a synchronization context and may reorder reports.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <summary>Passes a report to the handler.</summary>
    public void Report(T value) => handler(value);
}
