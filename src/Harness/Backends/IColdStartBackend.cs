using Harness.Measurement;

namespace Harness.Backends;

/// <summary>A place where cold starts run: this machine or a Knative cluster.</summary>
public interface IColdStartBackend : IAsyncDisposable
{
    /// <summary>Name written to the manifest: <c>local</c> or <c>knative</c>.</summary>
    string Name { get; }

    /// <summary>Brings the backend to a state where samples can run.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs one true cold start and returns its sample. Failures of the sample itself (a pull
    /// error, a timeout) come back as a sample with that status, not as an exception.
    /// </summary>
    Task<ColdStartSample> MeasureAsync(
        ColdStartRequest request,
        CancellationToken cancellationToken
    );

    /// <summary>Removes everything the backend created for the run.</summary>
    Task CleanUpAsync(CancellationToken cancellationToken);
}
