namespace Harness.Backends.Knative;

/// <summary>Everything the backend observed during one cold start on the cluster.</summary>
public sealed record PodStartTimeline
{
    /// <summary>Position of the sample in the plan.</summary>
    public required int Sequence { get; init; }

    public required string ServiceName { get; init; }
    public string? PodName { get; init; }
    public string? NodeName { get; init; }

    /// <summary>What kubelet reported in its <c>Pulled</c> event, if it arrived.</summary>
    internal KubeletPullReport? PullReport { get; init; }

    /// <summary>Observations in the order they reached the harness.</summary>
    public required IReadOnlyList<PodStartObservation> Observations { get; init; }

    /// <summary>Returns the first observation of <paramref name="change"/>, or null.</summary>
    public PodStartObservation? Find(string change) =>
        Observations.FirstOrDefault(observation => observation.Change == change);
}
