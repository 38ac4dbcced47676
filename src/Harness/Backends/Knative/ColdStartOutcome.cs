using Harness.Measurement;

namespace Harness.Backends.Knative;

/// <summary>How one cold start on the cluster ended, and what was seen on the way.</summary>
/// <param name="Status">A <see cref="SampleStatus"/> value.</param>
/// <param name="Error">The cluster's or the request's message when the status is not ok.
/// </param>
/// <param name="Timeline">What was observed until the cold start ended.</param>
internal sealed record ColdStartOutcome(string Status, string? Error, PodStartTimeline Timeline);
