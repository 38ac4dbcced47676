using System.CommandLine;
using System.Globalization;
using Harness.Reporting;
using Harness.Statistics;

namespace Harness.Commands;

/// <summary>
/// <c>harness compare BASE_DIR NEW_DIR</c>: compares two runs phase by phase, writes
/// NEW_DIR/compare.md and exits 1 when a phase got significantly slower beyond the threshold.
/// </summary>
public static class CompareCommand
{
    /// <summary>Creates the <c>compare</c> command.</summary>
    public static Command Create()
    {
        var baseArgument = new Argument<string>("BASE_DIR")
        {
            Description = "Results folder of the reference run.",
        };
        var newArgument = new Argument<string>("NEW_DIR")
        {
            Description = "Results folder of the run to check; compare.md is written here.",
        };
        var thresholdOption = new Option<string>("--threshold")
        {
            Description =
                "Change of a median, in percent, beyond which a significant "
                + "difference counts, such as 10%.",
            DefaultValueFactory = _ => "10%",
        };
        var command = new Command(
            "compare",
            "Compares two runs per workload, variant and phase; exits 1 when a phase got "
                + "slower beyond the threshold and the Mann-Whitney U test finds it significant."
        );
        command.Arguments.Add(baseArgument);
        command.Arguments.Add(newArgument);
        command.Options.Add(thresholdOption);
        command.SetAction(
            (parseResult, cancellationToken) =>
                ReportActions.RunAsync(async () =>
                {
                    var threshold = ParseThreshold(parseResult.GetValue(thresholdOption)!);
                    var baseFolder = ResultsFolder.Open(parseResult.GetValue(baseArgument)!);
                    var newFolder = ResultsFolder.Open(parseResult.GetValue(newArgument)!);
                    var comparer = new RunComparer(threshold);
                    var comparisons = comparer.Compare(
                        SampleCsvReader.Read(baseFolder.SamplesPath),
                        SampleCsvReader.Read(newFolder.SamplesPath)
                    );

                    var report = ComparisonMarkdown.Format(
                        comparisons,
                        comparer,
                        baseFolder.Path,
                        newFolder.Path
                    );
                    await AtomicFile.WriteTextAsync(
                        newFolder.ComparisonPath,
                        report,
                        cancellationToken
                    );
                    Console.Write(report);
                    Console.WriteLine($"Wrote {newFolder.ComparisonPath}");

                    return comparisons.Any(item => item.Verdict == ChangeVerdict.Slower)
                        ? ExitCodes.Failure
                        : ExitCodes.Success;
                })
        );
        return command;
    }

    /// <summary>Parses a threshold such as "10%" or "10" (both percent) into a fraction.
    /// </summary>
    public static double ParseThreshold(string text)
    {
        var number = text.Trim().TrimEnd('%').Trim();
        if (
            !double.TryParse(
                number,
                NumberStyles.Float,
                CultureInfo.InvariantCulture,
                out var percent
            )
            || !double.IsFinite(percent)
            || percent < 0
        )
        {
            throw new HarnessException(
                $"Invalid --threshold '{text}': expected a non-negative percentage such as 10%."
            );
        }

        return percent / 100;
    }
}
