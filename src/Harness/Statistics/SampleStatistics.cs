using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.QuantileEstimators;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Harness.Statistics;

/// <summary>
/// The estimators the summary and the comparison use, all from Perfolizer, in one place so
/// that every table and figure computes a median the same way.
/// </summary>
public static class SampleStatistics
{
    /// <summary>Returns the sample quantile by Hyndman-Fan type 7 (linear interpolation
    /// between order statistics), the default of R and NumPy, so readers can check it.</summary>
    public static double Quantile(IReadOnlyList<double> values, double probability)
    {
        RequireValues(values);
        return SimpleQuantileEstimator.Instance.Quantile(values, probability);
    }

    /// <summary>Returns the sample median (type 7).</summary>
    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);

    /// <summary>
    /// Returns a confidence interval of a quantile: the Harrell-Davis estimate with the
    /// Maritz-Jarrett standard error. Null below two values, where no spread can be seen.
    /// </summary>
    public static ConfidenceBounds? QuantileInterval(
        IReadOnlyList<double> values,
        double probability,
        double confidenceLevel
    )
    {
        RequireValues(values);
        if (values.Count < 2)
        {
            return null;
        }

        // NOTE: the interval is the estimate plus or minus a multiple of its standard error.
        // With few values it can reach past the observed range (for 1000..1400 ms in steps of
        // 100, the median's 95 % interval is about 925..1475 ms) or below zero.
        var interval = HarrellDavisQuantileEstimator
            .Instance.QuantileConfidenceIntervalEstimator(new Sample(values.ToArray()), probability)
            .ConfidenceInterval(new ConfidenceLevel(confidenceLevel));
        return double.IsFinite(interval.Lower) && double.IsFinite(interval.Upper)
            ? new ConfidenceBounds(interval.Lower, interval.Upper)
            : null;
    }

    /// <summary>Returns the mean and the sample standard deviation (null below two values).
    /// </summary>
    public static (double Mean, double? StandardDeviation) Moments(IReadOnlyList<double> values)
    {
        RequireValues(values);
        var moments = Perfolizer.Mathematics.Common.Moments.Create(values);
        double? deviation = values.Count >= 2 ? moments.StandardDeviation : null;
        return (moments.Mean, deviation);
    }

    /// <summary>
    /// Returns the two-sided p-value of the Mann-Whitney U test that <paramref name="x"/> and
    /// <paramref name="y"/> come from the same distribution (exact for small samples, an
    /// approximation for large ones, as Perfolizer chooses).
    /// </summary>
    public static double MannWhitneyPValue(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        RequireValues(x);
        RequireValues(y);
        var result = MannWhitneyTest.Instance.Perform(
            new Sample(x.ToArray()),
            new Sample(y.ToArray()),
            AlternativeHypothesis.TwoSides,
            Threshold.Zero
        );
        return result.PValue.Value;
    }

    private static void RequireValues(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("At least one value is required.", nameof(values));
        }
    }
}
