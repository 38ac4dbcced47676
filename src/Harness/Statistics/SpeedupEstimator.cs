namespace Harness.Statistics;

/// <summary>
/// Estimates the speedup of a variant over the baseline as the ratio of their medians, with a
/// percentile bootstrap interval. The bootstrap uses a fixed seed, so the same samples always
/// give the same interval.
/// </summary>
public sealed class SpeedupEstimator(SummaryOptions options)
{
    /// <summary>Returns baseline median / variant median with its interval and p-value.
    /// </summary>
    public SpeedupEstimate Estimate(IReadOnlyList<double> baseline, IReadOnlyList<double> variant)
    {
        var ratio = SampleStatistics.Median(baseline) / SampleStatistics.Median(variant);
        return new SpeedupEstimate
        {
            Ratio = ratio,
            Interval = BootstrapInterval(baseline, variant),
            MannWhitneyPValue = SampleStatistics.MannWhitneyPValue(variant, baseline),
        };
    }

    private ConfidenceBounds? BootstrapInterval(
        IReadOnlyList<double> baseline,
        IReadOnlyList<double> variant
    )
    {
        if (baseline.Count < 2 || variant.Count < 2)
        {
            return null;
        }

        // Each pair gets a generator with the same seed, so an interval does not depend on
        // which other workloads or variants the run contained.
        var random = new Random(options.BootstrapSeed);
        var ratios = new double[options.BootstrapResamples];
        var baselineDraw = new double[baseline.Count];
        var variantDraw = new double[variant.Count];
        for (var index = 0; index < ratios.Length; index++)
        {
            Resample(baseline, baselineDraw, random);
            Resample(variant, variantDraw, random);
            ratios[index] =
                SampleStatistics.Median(baselineDraw) / SampleStatistics.Median(variantDraw);
        }

        var tail = (1 - options.ConfidenceLevel) / 2;
        return new ConfidenceBounds(
            SampleStatistics.Quantile(ratios, tail),
            SampleStatistics.Quantile(ratios, 1 - tail)
        );
    }

    private static void Resample(IReadOnlyList<double> source, double[] target, Random random)
    {
        for (var index = 0; index < target.Length; index++)
        {
            target[index] = source[random.Next(source.Count)];
        }
    }
}
