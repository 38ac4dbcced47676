using System.Globalization;
using Harness.Images;
using Harness.Statistics;

namespace Harness.Reporting;

/// <summary>
/// States the summary's verdicts as sentences, such as "hello: estargz is 2.00x faster than
/// overlayfs on total (95% CI 1.50–2.60, p = 0.0079).", one per lazy variant, with a warning
/// where a result is too noisy to trust.
/// </summary>
public static class SpeedupVerdicts
{
    /// <summary>p-value below which a difference is called statistically significant, the
    /// level <c>harness compare</c> uses by default.</summary>
    public const double SignificanceLevel = 0.05;

    /// <summary>Returns the sentences for <paramref name="summary"/>, in its order.</summary>
    public static IReadOnlyList<string> Describe(RunSummary summary)
    {
        var sentences = new List<string>();
        foreach (var workload in summary.Variants.GroupBy(entry => entry.Workload))
        {
            var baseline = workload.FirstOrDefault(entry =>
                entry.Variant == ImageVariantNames.Overlayfs
            );
            var others = workload
                .Where(entry => entry.Variant != ImageVariantNames.Overlayfs)
                .ToList();
            if (others.Count == 0 && baseline is not null)
            {
                sentences.Add(
                    $"{workload.Key}: only overlayfs was measured, so there is "
                        + "nothing to compare."
                        + NoiseWarning(summary, [baseline])
                );
            }

            foreach (var entry in others)
            {
                var noisy = new[] { baseline, entry }.OfType<VariantSummary>().ToList();
                sentences.Add(
                    Describe(summary, workload.Key, entry, baseline) + NoiseWarning(summary, noisy)
                );
            }
        }

        return sentences;
    }

    private static string Describe(
        RunSummary summary,
        string workload,
        VariantSummary entry,
        VariantSummary? baseline
    )
    {
        var prefix = $"{workload}: {entry.Variant}";
        if (baseline is null || baseline.Count == 0)
        {
            return $"{prefix} has no speedup, because overlayfs has no successful samples "
                + "of this workload.";
        }

        if (entry.Speedup is not { } speedup)
        {
            return $"{prefix} has no speedup, because it has no successful samples.";
        }

        var level = Percent(summary.Options.ConfidenceLevel);
        var pValue = PValue(speedup.MannWhitneyPValue);
        string sentence;
        if (speedup.Ratio >= 1)
        {
            var interval = speedup.Interval is { } bounds
                ? $"{level} CI {Ratio(bounds.Lower)}–{Ratio(bounds.Upper)}, "
                : "no CI with fewer than two samples on a side, ";
            sentence =
                $"{prefix} is {Ratio(speedup.Ratio)}x faster than overlayfs on total "
                + $"({interval}{pValue}).";
        }
        else
        {
            // A speedup below 1 reads better as a slowdown: its interval is the reciprocal of
            // the speedup's, with the ends swapped.
            var interval = speedup.Interval is { Lower: > 0, Upper: > 0 } bounds
                ? $"{level} CI {Ratio(1 / bounds.Upper)}–{Ratio(1 / bounds.Lower)}, "
                : "no CI, ";
            sentence =
                $"{prefix} is {Ratio(1 / speedup.Ratio)}x slower than overlayfs on "
                + $"total ({interval}{pValue}).";
        }

        if (speedup.MannWhitneyPValue >= SignificanceLevel)
        {
            sentence +=
                " The difference is not statistically significant "
                + $"(p ≥ {SignificanceLevel.ToString("0.##", CultureInfo.InvariantCulture)}).";
        }

        return sentence;
    }

    private static string NoiseWarning(RunSummary summary, IReadOnlyList<VariantSummary> entries)
    {
        var noisy = entries.Where(entry => entry.Noisy).ToList();
        if (noisy.Count == 0)
        {
            return "";
        }

        var spreads = string.Join(
            " and ",
            noisy.Select(entry => $"{entry.Variant} ({Percent(entry.RelativeSpread ?? 0)})")
        );
        return " Too noisy to trust: the p95 of the total is more than "
            + $"{Percent(summary.Options.NoiseThreshold)} above the median for {spreads}.";
    }

    private static string Ratio(double value) =>
        value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) =>
        (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string PValue(double value) =>
        value < 0.0001
            ? "p < 0.0001"
            : "p = " + value.ToString("0.0000", CultureInfo.InvariantCulture);
}
