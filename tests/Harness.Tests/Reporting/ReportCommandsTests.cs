using Harness.Commands;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class ReportCommandsTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string CopyFixtureRun()
    {
        File.Copy(
            Path.Combine("Fixtures", "Statistics", "two-variants.csv"),
            folder.File("samples.csv")
        );
        return folder.Path;
    }

    [Fact]
    public async Task SummarizeWritesSummaryCsv()
    {
        var run = CopyFixtureRun();

        var exitCode = await Harness.Commands.CommandLine.RunAsync(["summarize", run]);
        var lines = await File.ReadAllLinesAsync(Path.Combine(run, "summary.csv"));

        // Three workload/variant pairs, six phases each, plus the header.
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(string.Join(",", SummaryCsvColumns.All), lines[0]);
        Assert.Equal(1 + 3 * 6, lines.Length);
        Assert.StartsWith(
            "hello,estargz,total,5,1,1,600.000,",
            lines.Single(line => line.StartsWith("hello,estargz,total,"))
        );
    }

    [Fact]
    public async Task SummaryTotalRowCarriesVerdicts()
    {
        var run = CopyFixtureRun();

        await Harness.Commands.CommandLine.RunAsync(["summarize", run]);
        var lines = await File.ReadAllLinesAsync(Path.Combine(run, "summary.csv"));
        var fields = lines.Single(line => line.StartsWith("hello,estargz,total,")).Split(',');
        var column = (string name) => fields[SummaryCsvColumns.All.ToList().IndexOf(name)];

        // Worked out in SummaryCalculatorTests: speedup 1200 / 600, p = 2 / 252,
        // spread (780 - 600) / 600 = 0.3 over the 0.25 threshold, gap 10 ms.
        Assert.Equal("2.000", column(SummaryCsvColumns.Speedup));
        Assert.Equal("0.007937", column(SummaryCsvColumns.MannWhitneyP));
        Assert.Equal("0.300", column(SummaryCsvColumns.RelativeSpread));
        Assert.Equal("true", column(SummaryCsvColumns.Noisy));
        Assert.Equal("10.000", column(SummaryCsvColumns.MeanPhaseGap));
    }

    [FontFact]
    public async Task PlotWritesRequestedFormat()
    {
        var run = CopyFixtureRun();

        var exitCode = await Harness.Commands.CommandLine.RunAsync([
            "plot",
            run,
            "--format",
            "svg",
        ]);
        var files = Directory
            .GetFiles(Path.Combine(run, "figures"))
            .Select(Path.GetFileName)
            .Order()
            .ToList();

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(["cdf-hello.svg", "cdf-solo.svg", "phases.svg", "timeline.svg"], files);
    }

    [Theory]
    [InlineData("plot")]
    [InlineData("summarize")]
    public async Task HeaderOnlySamplesSucceed(string verb)
    {
        await File.WriteAllTextAsync(
            folder.File("samples.csv"),
            string.Join(",", SampleCsvColumns.All) + "\n"
        );

        var exitCode = await Harness.Commands.CommandLine.RunAsync([verb, folder.Path]);

        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Theory]
    [InlineData("plot")]
    [InlineData("summarize")]
    public async Task FolderWithoutSamplesIsInvalidInput(string verb)
    {
        var exitCode = await Harness.Commands.CommandLine.RunAsync([verb, folder.Path]);

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task UnknownFormatIsInvalidInput()
    {
        var run = CopyFixtureRun();

        var exitCode = await Harness.Commands.CommandLine.RunAsync([
            "plot",
            run,
            "--format",
            "gif",
        ]);

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.False(Directory.Exists(Path.Combine(run, "figures")));
    }
}
