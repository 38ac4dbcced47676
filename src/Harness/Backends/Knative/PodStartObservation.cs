namespace Harness.Backends.Knative;

/// <summary>
/// One change seen during a cold start: when it reached the harness, measured on the harness's
/// monotonic clock, next to the cluster's own timestamp, which has one-second resolution.
/// </summary>
/// <param name="Change">A <see cref="PodStartChange"/> name.</param>
/// <param name="ObservedAt">UTC time the change reached the harness.</param>
/// <param name="ElapsedMs">Milliseconds from the trigger to the observation.</param>
/// <param name="ServerTime">Time the cluster recorded for the change, if any.</param>
/// <param name="Detail">The event message or condition reason, when there is one.</param>
public sealed record PodStartObservation(
    string Change,
    DateTimeOffset ObservedAt,
    double ElapsedMs,
    DateTimeOffset? ServerTime,
    string? Detail
);
