using Harness.Measurement;
using Harness.Statistics;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>
/// Writes the derived files of a run (summary.csv and figures) from its samples. The run
/// calls it when it ends, and <c>harness summarize</c> and <c>harness plot</c> call it to
/// redo the files from <c>samples.csv</c> alone.
/// </summary>
public static class RunReport
{
    /// <summary>Summarises the samples and writes <c>summary.csv</c>.</summary>
    public static async Task<RunSummary> WriteSummaryAsync(
        ResultsFolder folder,
        IReadOnlyList<ColdStartSample> samples,
        CancellationToken cancellationToken,
        SummaryOptions? options = null
    )
    {
        var summary = new SummaryCalculator(options).Summarize(samples);
        await SummaryCsvWriter.WriteAsync(folder.SummaryPath, summary, cancellationToken);
        return summary;
    }

    /// <summary>Draws every figure into the run's <c>figures</c> folder and returns the
    /// paths written.</summary>
    public static Task<IReadOnlyList<string>> WriteFiguresAsync(
        ResultsFolder folder,
        IReadOnlyList<ColdStartSample> samples,
        RunSummary summary,
        IReadOnlyCollection<FigureFormat> formats,
        CancellationToken cancellationToken
    ) =>
        new FigureRenderer().RenderAsync(
            samples,
            summary,
            folder.FiguresPath,
            formats,
            cancellationToken
        );

    /// <summary>
    /// Writes summary.csv and the figures and prints the summary table: the end of a run. A
    /// figure that cannot be drawn (no usable font) is logged as a warning, because the
    /// measured samples and the summary are already safe and <c>harness plot</c> can redraw.
    /// </summary>
    public static async Task<RunSummary> FinishAsync(
        ResultsFolder folder,
        IReadOnlyList<ColdStartSample> samples,
        IReadOnlyCollection<FigureFormat> formats,
        IAnsiConsole console,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var summary = await WriteSummaryAsync(folder, samples, cancellationToken);
        logger.LogInformation("Wrote {SummaryPath}", folder.SummaryPath);
        try
        {
            var written = await WriteFiguresAsync(
                folder,
                samples,
                summary,
                formats,
                cancellationToken
            );
            logger.LogInformation(
                "Wrote {FigureCount} figure files to {FiguresPath}",
                written.Count,
                folder.FiguresPath
            );
        }
        catch (HarnessException exception)
        {
            logger.LogWarning(
                "Skipped the figures: {Reason} The samples and summary are written; after "
                    + "fixing this, run 'harness plot {ResultsPath}'.",
                exception.Message,
                folder.Path
            );
        }

        ConsoleSummaryTable.Write(console, summary);
        return summary;
    }

    /// <summary>Parses a comma-separated list of figure formats such as "png,svg".</summary>
    public static IReadOnlyList<FigureFormat> ParseFormats(string text)
    {
        var formats = new List<FigureFormat>();
        foreach (
            var part in text.Split(
                ',',
                StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries
            )
        )
        {
            formats.Add(
                part.ToLowerInvariant() switch
                {
                    "png" => FigureFormat.Png,
                    "svg" => FigureFormat.Svg,
                    _ => throw new HarnessException(
                        $"Invalid figure format '{part}' in --format {text}: expected png, svg "
                            + "or both separated by a comma, such as --format png,svg."
                    ),
                }
            );
        }

        if (formats.Count == 0)
        {
            throw new HarnessException(
                "--format is empty: expected png, svg or both, such as --format png,svg."
            );
        }

        return formats.Distinct().ToList();
    }
}
