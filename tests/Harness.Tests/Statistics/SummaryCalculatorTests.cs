using Harness.Measurement;
using Harness.Reporting;
using Harness.Statistics;
using Xunit;

namespace Harness.Tests.Statistics;

/// <summary>
/// Checks the summary of Fixtures/Statistics/two-variants.csv against values worked out by
/// hand. The fixture's measured samples (warm-ups and failures left out) are:
/// hello/overlayfs totals 1000, 1100, 1200, 1300, 1400 ms, each with pull = total - 100 and
/// create 40, start 20, ready 30, first_response 5, so the phases sum to total - 5;
/// hello/estargz totals 400, 500, 600, 700, 800 ms with pull 50, create = total - 150,
/// start 20, ready 60, first_response 10, so the phases sum to total - 10;
/// solo/estargz-noopt a single sample of 150 ms whose phases sum to 152 ms.
/// </summary>
public sealed class SummaryCalculatorTests
{
    private static readonly RunSummary Summary = new SummaryCalculator().Summarize(
        SampleCsvReader.Read(Path.Combine("Fixtures", "Statistics", "two-variants.csv"))
    );

    private static VariantSummary Find(string workload, string variant) =>
        Summary.Variants.Single(entry => entry.Workload == workload && entry.Variant == variant);

    [Fact]
    public void SummaryOrdersWorkloadsThenCanonicalVariants()
    {
        var keys = Summary.Variants.Select(entry => $"{entry.Workload}/{entry.Variant}");

        Assert.Equal(["hello/overlayfs", "hello/estargz", "solo/estargz-noopt"], keys);
    }

    [Fact]
    public void CountsLeaveOutWarmupsAndFailures()
    {
        var overlay = Find("hello", "overlayfs");
        var lazy = Find("hello", "estargz");

        // overlayfs: 7 rows = 1 warm-up + 1 timed_out + 5 ok.
        Assert.Equal(5, overlay.Count);
        Assert.Equal(1, overlay.FailedCount);
        Assert.Equal(1, overlay.WarmupCount);

        // estargz: 7 rows = 1 warm-up + 1 failed + 5 ok.
        Assert.Equal(5, lazy.Count);
        Assert.Equal(1, lazy.FailedCount);
        Assert.Equal(1, lazy.WarmupCount);
    }

    [Fact]
    public void TotalStatisticsMatchHandWorkedValues()
    {
        var total = Find("hello", "overlayfs").Phase(Phase.Total);

        // Sorted 1000..1400: median is the middle value. Type 7 p95: h = (5 - 1) * 0.95 = 3.8,
        // so x[3] + 0.8 * (x[4] - x[3]) = 1300 + 0.8 * 100 = 1380.
        Assert.Equal(5, total.Count);
        Assert.Equal(1200, total.Median);
        Assert.Equal(1380, total.P95!.Value, 6);
        Assert.Equal(1200, total.Mean!.Value, 6);

        // Deviations -200..200 in steps of 100: squares sum to 100000, / (5 - 1) = 25000.
        Assert.Equal(Math.Sqrt(25000), total.StandardDeviation!.Value, 6);
        Assert.Equal(1000, total.Min);
        Assert.Equal(1400, total.Max);
    }

    [Fact]
    public void PhaseStatisticsMatchHandWorkedValues()
    {
        var lazy = Find("hello", "estargz");

        // create = total - 150: 250, 350, 450, 550, 650; median 450, p95 550 + 0.8 * 100.
        Assert.Equal(450, lazy.Phase(Phase.Create).Median);
        Assert.Equal(630, lazy.Phase(Phase.Create).P95!.Value, 6);

        // A constant phase has no spread.
        Assert.Equal(50, lazy.Phase(Phase.Pull).Median);
        Assert.Equal(0, lazy.Phase(Phase.Pull).StandardDeviation!.Value, 9);
    }

    [Fact]
    public void MedianIntervalContainsTheMedian()
    {
        var interval = Find("hello", "overlayfs").Phase(Phase.Total).MedianInterval;

        // The values are symmetric around 1200, so the Harrell-Davis interval is centred there.
        Assert.NotNull(interval);
        Assert.True(interval.Lower < 1200, $"lower {interval.Lower}");
        Assert.True(interval.Upper > 1200, $"upper {interval.Upper}");
        Assert.Equal(1200, (interval.Lower + interval.Upper) / 2, 3);
    }

    [Fact]
    public void P95IntervalContainsTheP95()
    {
        var total = Find("hello", "overlayfs").Phase(Phase.Total);

        Assert.NotNull(total.P95Interval);
        Assert.True(total.P95Interval.Lower < total.P95, $"lower {total.P95Interval.Lower}");
        Assert.True(total.P95Interval.Upper > total.P95, $"upper {total.P95Interval.Upper}");
    }

    [Fact]
    public void SpeedupIsTheRatioOfMedians()
    {
        var speedup = Find("hello", "estargz").Speedup;

        // 1200 / 600.
        Assert.NotNull(speedup);
        Assert.Equal(2.0, speedup.Ratio, 9);
    }

    [Fact]
    public void SpeedupIntervalIsBoundedByTheData()
    {
        var interval = Find("hello", "estargz").Speedup!.Interval;

        // Every resampled median lies within its sample's range, so each bootstrap ratio lies
        // between 1000 / 800 = 1.25 and 1400 / 400 = 3.5.
        Assert.NotNull(interval);
        Assert.InRange(interval.Lower, 1.25, 2.0);
        Assert.InRange(interval.Upper, 2.0, 3.5);
    }

    [Fact]
    public void SpeedupIntervalIsRepeatable()
    {
        var again = new SummaryCalculator().Summarize(
            SampleCsvReader.Read(Path.Combine("Fixtures", "Statistics", "two-variants.csv"))
        );

        Assert.Equal(
            Find("hello", "estargz").Speedup!.Interval,
            again.Variants.Single(entry => entry.Variant == "estargz").Speedup!.Interval
        );
    }

    [Fact]
    public void MannWhitneyPValueMatchesExactTest()
    {
        var speedup = Find("hello", "estargz").Speedup!;

        // Every estargz total is below every overlayfs total (U = 0). Of the C(10, 5) = 252
        // equally likely rank splits, one gives U = 0 and one U = 25, so p = 2 / 252.
        Assert.Equal(2.0 / 252, speedup.MannWhitneyPValue, 6);
    }

    [Fact]
    public void BaselineAndLoneVariantHaveNoSpeedup()
    {
        Assert.Null(Find("hello", "overlayfs").Speedup);
        Assert.Null(Find("solo", "estargz-noopt").Speedup);
    }

    [Fact]
    public void NoiseFlagFollowsRelativeSpread()
    {
        var overlay = Find("hello", "overlayfs");
        var lazy = Find("hello", "estargz");

        // overlayfs: (1380 - 1200) / 1200 = 0.15, under the 0.25 threshold.
        Assert.Equal(0.15, overlay.RelativeSpread!.Value, 9);
        Assert.False(overlay.Noisy);

        // estargz: p95 = 700 + 0.8 * 100 = 780; (780 - 600) / 600 = 0.3, over it.
        Assert.Equal(0.3, lazy.RelativeSpread!.Value, 9);
        Assert.True(lazy.Noisy);
    }

    [Fact]
    public void NoiseThresholdIsConfigurable()
    {
        var samples = SampleCsvReader.Read(
            Path.Combine("Fixtures", "Statistics", "two-variants.csv")
        );

        var lenient = new SummaryCalculator(new SummaryOptions { NoiseThreshold = 0.5 }).Summarize(
            samples
        );

        Assert.All(lenient.Variants, entry => Assert.False(entry.Noisy));
    }

    [Fact]
    public void PhaseGapIsTotalMinusParts()
    {
        Assert.Equal(5, Find("hello", "overlayfs").MeanPhaseGapMs!.Value, 9);
        Assert.Equal(10, Find("hello", "estargz").MeanPhaseGapMs!.Value, 9);
        Assert.Equal(-2, Find("solo", "estargz-noopt").MeanPhaseGapMs!.Value, 9);
    }

    [Fact]
    public void SingleSampleHasNoIntervalsOrDeviation()
    {
        var total = Find("solo", "estargz-noopt").Phase(Phase.Total);

        Assert.Equal(1, total.Count);
        Assert.Equal(150, total.Median);
        Assert.Equal(150, total.P95);
        Assert.Null(total.MedianInterval);
        Assert.Null(total.P95Interval);
        Assert.Null(total.StandardDeviation);
    }

    [Fact]
    public void PhaseWithoutValuesHasEmptyStatistics()
    {
        var samples = new[]
        {
            new ColdStartSample
            {
                Workload = "w",
                Variant = "overlayfs",
                Repetition = 0,
                Warmup = false,
                Status = SampleStatus.Failed,
            },
        };

        var entry = new SummaryCalculator().Summarize(samples).Variants.Single();

        Assert.Equal(0, entry.Count);
        Assert.Equal(1, entry.FailedCount);
        Assert.Null(entry.Phase(Phase.Total).Median);
        Assert.Null(entry.RelativeSpread);
        Assert.False(entry.Noisy);
        Assert.Null(entry.MeanPhaseGapMs);
    }
}
