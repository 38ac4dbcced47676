namespace Harness.Statistics;

/// <summary>Settings of <see cref="SummaryCalculator"/>.</summary>
public sealed record SummaryOptions
{
    /// <summary>Confidence level of every interval, between 0 and 1.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// Relative spread (p95 - median) / median of the total above which a result is flagged
    /// as noisy. With a spread of 10 % around the median (a typical quiet machine), p95 sits
    /// about 16 % above it, so 0.25 flags a tail clearly heavier than that.
    /// </summary>
    public double NoiseThreshold { get; init; } = 0.25;

    /// <summary>Resamples drawn for the speedup's bootstrap interval.</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Seed of the bootstrap, fixed so that summaries of the same samples are equal.
    /// </summary>
    public int BootstrapSeed { get; init; } = 1729;
}
