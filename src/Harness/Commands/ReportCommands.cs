using System.CommandLine;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Commands;

/// <summary>Verbs that redo the derived files of a finished run from its samples.csv.</summary>
public static class ReportCommands
{
    /// <summary>Creates <c>plot</c>, <c>summarize</c> and <c>compare</c>.</summary>
    public static IEnumerable<Command> Create()
    {
        yield return CreatePlot();
        yield return CreateSummarize();
        yield return CompareCommand.Create();
    }

    private static Argument<string> ResultsDirectoryArgument() =>
        new("RESULTS_DIR")
        {
            Description = "Results folder of a run, such as results/nodejs/20260131T120000Z.",
        };

    private static Command CreatePlot()
    {
        var folderArgument = ResultsDirectoryArgument();
        var formatOption = new Option<string>("--format")
        {
            Description = "Image formats to write, separated by commas: png, svg.",
            DefaultValueFactory = _ => "png,svg",
        };
        var command = new Command(
            "plot",
            "Redraws every figure of a run from its samples.csv into RESULTS_DIR/figures."
        );
        command.Arguments.Add(folderArgument);
        command.Options.Add(formatOption);
        command.SetAction(
            (parseResult, cancellationToken) =>
                ReportActions.RunAsync(async () =>
                {
                    var formats = RunReport.ParseFormats(parseResult.GetValue(formatOption)!);
                    var folder = ResultsFolder.Open(parseResult.GetValue(folderArgument)!);
                    var samples = SampleCsvReader.Read(folder.SamplesPath);
                    var summary = new Statistics.SummaryCalculator().Summarize(samples);
                    var written = await RunReport.WriteFiguresAsync(
                        folder,
                        samples,
                        summary,
                        formats,
                        cancellationToken
                    );
                    if (written.Count == 0)
                    {
                        Console.WriteLine(
                            $"No figures drawn: {folder.SamplesPath} has no sample with phase "
                                + "times."
                        );
                    }

                    foreach (var path in written)
                    {
                        Console.WriteLine(path);
                    }

                    return ExitCodes.Success;
                })
        );
        return command;
    }

    private static Command CreateSummarize()
    {
        var folderArgument = ResultsDirectoryArgument();
        var command = new Command(
            "summarize",
            "Recomputes RESULTS_DIR/summary.csv from samples.csv and prints it."
        );
        command.Arguments.Add(folderArgument);
        command.SetAction(
            (parseResult, cancellationToken) =>
                ReportActions.RunAsync(async () =>
                {
                    var folder = ResultsFolder.Open(parseResult.GetValue(folderArgument)!);
                    var samples = SampleCsvReader.Read(folder.SamplesPath);
                    var summary = await RunReport.WriteSummaryAsync(
                        folder,
                        samples,
                        cancellationToken
                    );
                    ConsoleSummaryTable.Write(AnsiConsole.Console, summary);
                    Console.WriteLine($"Wrote {folder.SummaryPath}");
                    return ExitCodes.Success;
                })
        );
        return command;
    }
}
