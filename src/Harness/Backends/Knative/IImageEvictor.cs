namespace Harness.Backends.Knative;

/// <summary>
/// Removes an image and everything cached about it from the node the harness runs on, so the
/// next pod has to pull it again.
/// </summary>
public interface IImageEvictor
{
    /// <summary>Checks that eviction can work here (tools present, privileges available) and
    /// throws <see cref="HarnessException"/> saying what to fix otherwise.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="imageReference"/> and its content from the node and
    /// returns the image names that were removed.</summary>
    Task<IReadOnlyList<string>> EvictAsync(
        string imageReference,
        CancellationToken cancellationToken
    );
}
