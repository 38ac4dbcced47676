using Harness.Measurement;
using Harness.Reporting;
using Harness.Statistics;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class SpeedupVerdictsTests
{
    private static ColdStartSample Sample(string variant, int repetition, double totalMs) =>
        new()
        {
            Workload = "fn",
            Variant = variant,
            Repetition = repetition,
            Warmup = false,
            Status = SampleStatus.Ok,
            TotalMs = totalMs,
        };

    private static IReadOnlyList<string> Describe(params ColdStartSample[] samples) =>
        SpeedupVerdicts.Describe(new SummaryCalculator().Summarize(samples));

    [Fact]
    public void SlowerVariantReadsAsSlowdown()
    {
        // overlayfs median 120, estargz median 240: speedup 0.5, so 2x slower. Every
        // estargz total is above every overlayfs total: p = 2 / 252 = 0.0079.
        var sentences = Describe(
            Sample("overlayfs", 0, 100),
            Sample("overlayfs", 1, 110),
            Sample("overlayfs", 2, 120),
            Sample("overlayfs", 3, 130),
            Sample("overlayfs", 4, 140),
            Sample("estargz", 0, 200),
            Sample("estargz", 1, 220),
            Sample("estargz", 2, 240),
            Sample("estargz", 3, 260),
            Sample("estargz", 4, 280)
        );

        var sentence = Assert.Single(sentences);
        Assert.StartsWith("fn: estargz is 2.00x slower than overlayfs on total (95% CI ", sentence);
        Assert.EndsWith(", p = 0.0079).", sentence);
    }

    [Fact]
    public void SingleSamplesHaveNoIntervalAndNoSignificance()
    {
        // One sample per side: the exact test can order them only two ways, p = 1.
        var sentences = Describe(Sample("overlayfs", 0, 300), Sample("estargz", 0, 200));

        Assert.Equal(
            "fn: estargz is 1.50x faster than overlayfs on total (no CI with fewer than two "
                + "samples on a side, p = 1.0000). The difference is not statistically significant "
                + "(p ≥ 0.05).",
            Assert.Single(sentences)
        );
    }

    [Fact]
    public void NoisyBaselineIsNamed()
    {
        // overlayfs 100, 100, 100, 100, 200: median 100, p95 100 + 0.8 * 100 = 180, so the
        // spread is 80 %. estargz 50 x 5 has no spread.
        var sentences = Describe(
            Sample("overlayfs", 0, 100),
            Sample("overlayfs", 1, 100),
            Sample("overlayfs", 2, 100),
            Sample("overlayfs", 3, 100),
            Sample("overlayfs", 4, 200),
            Sample("estargz", 0, 50),
            Sample("estargz", 1, 50),
            Sample("estargz", 2, 50),
            Sample("estargz", 3, 50),
            Sample("estargz", 4, 50)
        );

        Assert.EndsWith(
            " Too noisy to trust: the p95 of the total is more than 25% above the median for "
                + "overlayfs (80%).",
            Assert.Single(sentences)
        );
    }

    [Fact]
    public void OverlayfsAloneHasNothingToCompare()
    {
        var sentences = Describe(Sample("overlayfs", 0, 100));

        Assert.Equal(
            ["fn: only overlayfs was measured, so there is nothing to compare."],
            sentences
        );
    }
}
