using Harness.Measurement;
using Harness.Statistics;

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
        SummaryOptions? options = null)
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
        CancellationToken cancellationToken) =>
        new FigureRenderer().RenderAsync(
            samples, summary, folder.FiguresPath, formats, cancellationToken);

    /// <summary>Parses a comma-separated list of figure formats such as "png,svg".</summary>
    public static IReadOnlyList<FigureFormat> ParseFormats(string text)
    {
        var formats = new List<FigureFormat>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries |
                     StringSplitOptions.RemoveEmptyEntries))
        {
            formats.Add(part.ToLowerInvariant() switch
            {
                "png" => FigureFormat.Png,
                "svg" => FigureFormat.Svg,
                _ => throw new HarnessException(
                    $"Invalid figure format '{part}' in --format {text}: expected png, svg " +
                    "or both separated by a comma, such as --format png,svg."),
            });
        }

        if (formats.Count == 0)
        {
            throw new HarnessException(
                "--format is empty: expected png, svg or both, such as --format png,svg.");
        }

        return formats.Distinct().ToList();
    }
}
