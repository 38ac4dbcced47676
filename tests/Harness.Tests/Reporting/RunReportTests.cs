using Harness.Reporting;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class RunReportTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [FontFact]
    public async Task FinishWritesSummaryFiguresAndTable()
    {
        var results = new ResultsFolder(folder.Path);
        var samples = SampleCsvReader.Read(
            Path.Combine("Fixtures", "Statistics", "two-variants.csv")
        );
        var output = new StringWriter();
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(output),
            }
        );

        var summary = await RunReport.FinishAsync(
            results,
            samples,
            [FigureFormat.Png],
            console,
            NullLogger.Instance,
            CancellationToken.None
        );

        Assert.Equal(3, summary.Variants.Count);
        Assert.True(File.Exists(results.SummaryPath));
        Assert.True(File.Exists(Path.Combine(results.FiguresPath, "phases.png")));
        Assert.Contains("estargz-noopt", output.ToString());
    }
}
