using Harness.Backends.Knative;

namespace Harness.Tests.Knative;

/// <summary>An image evictor that touches no containerd: it records each eviction and how
/// many pods the service still had at that moment.</summary>
internal sealed class RecordingImageEvictor : IImageEvictor
{
    private readonly Func<int> countPods;

    public RecordingImageEvictor(Func<int> countPods)
    {
        this.countPods = countPods;
    }

    public List<(string Image, int PodsLeft)> Evictions { get; } = [];

    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> EvictAsync(
        string imageReference,
        CancellationToken cancellationToken
    )
    {
        lock (Evictions)
        {
            Evictions.Add((imageReference, countPods()));
        }

        return Task.FromResult<IReadOnlyList<string>>([imageReference]);
    }
}
