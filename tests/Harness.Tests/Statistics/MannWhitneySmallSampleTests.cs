using Harness.Statistics;
using Xunit;

namespace Harness.Tests.Statistics;

public sealed class MannWhitneySmallSampleTests
{
    [Theory]
    [InlineData(3, 0.1)]
    [InlineData(4, 2.0 / 70)]
    [InlineData(5, 2.0 / 252)]
    public void FullySeparatedSamplesGiveMinimumPValue(int count, double expected)
    {
        // With n values on each side and every y above every x, the exact two-sided p-value
        // is 2 / C(2n, n): C(6, 3) = 20, C(8, 4) = 70, C(10, 5) = 252. So 3 against 3 can
        // never reach p < 0.05, which the README's nightly check advice relies on.
        var x = Enumerable.Range(0, count).Select(index => 100.0 + index).ToList();
        var y = Enumerable.Range(0, count).Select(index => 200.0 + index).ToList();

        Assert.Equal(expected, SampleStatistics.MannWhitneyPValue(x, y), 6);
    }
}
