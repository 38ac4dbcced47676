using Harness.Reporting;
using Harness.Statistics;
using Spectre.Console;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class ConsoleSummaryTableTests
{
    private static string Render()
    {
        var samples = SampleCsvReader.Read(
            Path.Combine("Fixtures", "Statistics", "two-variants.csv")
        );
        var summary = new SummaryCalculator().Summarize(samples);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(writer),
            }
        );
        console.Profile.Width = 200;
        ConsoleSummaryTable.Write(console, summary);
        return writer.ToString();
    }

    [Fact]
    public void TableShowsTotalsAndSpeedup()
    {
        var lines = Render().Split('\n');
        var lazy = lines.Single(line => line.Contains(" estargz ") && line.Contains("hello"));
        var overlay = lines.Single(line => line.Contains("overlayfs") && line.Contains("hello"));

        // Values from SummaryCalculatorTests: medians 600 and 1200 ms, p95 780 and 1380 ms.
        Assert.Contains("600.0 ms", lazy);
        Assert.Contains("780.0 ms", lazy);
        Assert.Contains("2.00x [", lazy);
        Assert.Contains("0.0079", lazy);
        Assert.Contains("1.200 s", overlay);
        Assert.Contains("1.380 s", overlay);
    }

    [Fact]
    public void TableFlagsNoisyVariant()
    {
        var lines = Render().Split('\n');
        var lazy = lines.Single(line => line.Contains(" estargz ") && line.Contains("hello"));
        var overlay = lines.Single(line => line.Contains("overlayfs") && line.Contains("hello"));

        Assert.Contains("noisy 30 %", lazy);
        Assert.DoesNotContain("noisy", overlay);
    }

    [Fact]
    public void PValueFormatsSmallValues()
    {
        Assert.Equal("< 0.0001", ConsoleSummaryTable.PValue(0.00001));
        Assert.Equal("0.0079", ConsoleSummaryTable.PValue(2.0 / 252));
        Assert.Equal("-", ConsoleSummaryTable.PValue(null));
    }
}
