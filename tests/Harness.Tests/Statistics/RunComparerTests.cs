using Harness.Measurement;
using Harness.Statistics;
using Xunit;

namespace Harness.Tests.Statistics;

public sealed class RunComparerTests
{
    private static List<ColdStartSample> Samples(params double[] totals) =>
        totals
            .Select(
                (total, index) =>
                    new ColdStartSample
                    {
                        Workload = "hello",
                        Variant = "estargz",
                        Repetition = index,
                        Warmup = false,
                        Status = SampleStatus.Ok,
                        TotalMs = total,
                    }
            )
            .ToList();

    private static PhaseComparison CompareTotals(
        double threshold,
        double[] baseTotals,
        double[] newTotals
    ) =>
        new RunComparer(threshold)
            .Compare(Samples(baseTotals), Samples(newTotals))
            .Single(item => item.Phase == Phase.Total);

    [Fact]
    public void SeparatedSlowdownIsSlower()
    {
        // Medians 102 and 122: (122 - 102) / 102 = 0.196. Every new value is larger, so the
        // exact two-sided p is 2 / C(10, 5) = 2 / 252 = 0.0079, below 0.05.
        var result = CompareTotals(0.10, [100, 101, 102, 103, 104], [120, 121, 122, 123, 124]);

        Assert.Equal(102, result.BaseMedian);
        Assert.Equal(122, result.NewMedian);
        Assert.Equal(20.0 / 102, result.Change!.Value, 9);
        Assert.Equal(2.0 / 252, result.PValue!.Value, 6);
        Assert.Equal(ChangeVerdict.Slower, result.Verdict);
    }

    [Fact]
    public void ChangeWithinThresholdIsUnchanged()
    {
        // The same 19.6 % change, under a 25 % threshold.
        var result = CompareTotals(0.25, [100, 101, 102, 103, 104], [120, 121, 122, 123, 124]);

        Assert.Equal(ChangeVerdict.Unchanged, result.Verdict);
    }

    [Fact]
    public void LargeButInsignificantChangeIsUnchanged()
    {
        // Medians 100 and 150 (+50 %), but the samples interleave: ranks of the new values
        // are 2, 4 and 6 of 6, U = 6 of a possible 9, and p is far above 0.05.
        var result = CompareTotals(0.10, [10, 100, 300], [20, 150, 400]);

        Assert.Equal(0.5, result.Change!.Value, 9);
        Assert.True(result.PValue > 0.05, $"p = {result.PValue}");
        Assert.Equal(ChangeVerdict.Unchanged, result.Verdict);
    }

    [Fact]
    public void SeparatedSpeedupIsFaster()
    {
        var result = CompareTotals(0.10, [120, 121, 122, 123, 124], [100, 101, 102, 103, 104]);

        Assert.Equal(ChangeVerdict.Faster, result.Verdict);
    }

    [Fact]
    public void PhaseAbsentFromOneRunIsMissing()
    {
        var comparisons = new RunComparer(0.1).Compare(Samples(100, 101), Samples(100, 101));
        var pull = comparisons.Single(item => item.Phase == Phase.Pull);

        Assert.Equal(ChangeVerdict.Missing, pull.Verdict);
        Assert.Null(pull.Change);
        Assert.Equal(6, comparisons.Count);
    }
}
