namespace Harness.Statistics;

/// <summary>Lower and upper end of a confidence interval, in the unit of its estimate.</summary>
public sealed record ConfidenceBounds(double Lower, double Upper);
