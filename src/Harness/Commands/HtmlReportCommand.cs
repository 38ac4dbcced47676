using System.CommandLine;
using Harness.Reporting;

namespace Harness.Commands;

/// <summary>
/// <c>harness report RESULTS_DIR [--output FILE]</c>: writes one self-contained HTML page
/// for sharing a run, with its verdicts, summary, figures, failures and manifest.
/// </summary>
public static class HtmlReportCommand
{
    /// <summary>Creates the <c>report</c> command.</summary>
    public static Command Create()
    {
        var folderArgument = new Argument<string>("RESULTS_DIR")
        {
            Description = "Results folder of a run, such as results/nodejs/20260131T120000Z.",
        };
        var outputOption = new Option<string?>("--output")
        {
            Description = "File to write the page to; default RESULTS_DIR/report.html.",
        };
        var command = new Command(
            "report",
            "Writes a self-contained HTML page of a run: verdicts, summary recomputed from "
                + "samples.csv, figures, failed samples, compare.md and the manifest."
        );
        command.Arguments.Add(folderArgument);
        command.Options.Add(outputOption);
        command.SetAction(
            (parseResult, cancellationToken) =>
                ReportActions.RunAsync(async () =>
                {
                    var folder = ResultsFolder.Open(parseResult.GetValue(folderArgument)!);
                    var path = await HtmlReportWriter.WriteAsync(
                        folder,
                        parseResult.GetValue(outputOption),
                        cancellationToken
                    );
                    Console.WriteLine($"Wrote {path}");
                    return ExitCodes.Success;
                })
        );
        return command;
    }
}
