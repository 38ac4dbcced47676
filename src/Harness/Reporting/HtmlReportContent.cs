using Harness.Measurement;
using Harness.Statistics;

namespace Harness.Reporting;

/// <summary>Everything the HTML report of a run shows, read from its results folder.</summary>
public sealed record HtmlReportContent
{
    /// <summary>Full path of the results folder.</summary>
    public required string FolderPath { get; init; }

    /// <summary>Every row of <c>samples.csv</c>, warm-ups and failures included.</summary>
    public required IReadOnlyList<ColdStartSample> Samples { get; init; }

    /// <summary>Summary recomputed from <see cref="Samples"/>.</summary>
    public required RunSummary Summary { get; init; }

    /// <summary>Contents of <c>manifest.json</c>; null when it is missing or invalid.</summary>
    public RunManifest? Manifest { get; init; }

    /// <summary>Why <see cref="Manifest"/> is null; null when it was read.</summary>
    public string? ManifestProblem { get; init; }

    /// <summary>Figures from <c>figures/</c>, one file per figure.</summary>
    public required IReadOnlyList<EmbeddedFigure> Figures { get; init; }

    /// <summary>Text of <c>compare.md</c>; null when the folder has none.</summary>
    public string? ComparisonMarkdown { get; init; }

    /// <summary>
    /// Reads a results folder. Only <c>samples.csv</c> is required: a missing or invalid
    /// manifest is recorded in <see cref="ManifestProblem"/> and shown on the page, because
    /// the samples alone are worth sharing.
    /// </summary>
    public static async Task<HtmlReportContent> ReadAsync(
        ResultsFolder folder,
        CancellationToken cancellationToken
    )
    {
        var samples = SampleCsvReader.Read(folder.SamplesPath);
        var summary = new SummaryCalculator().Summarize(samples);

        RunManifest? manifest = null;
        string? manifestProblem = null;
        if (!File.Exists(folder.ManifestPath))
        {
            manifestProblem = $"{folder.ManifestPath} does not exist.";
        }
        else
        {
            try
            {
                manifest = await RunManifestFile.ReadAsync(folder.ManifestPath, cancellationToken);
            }
            catch (HarnessException exception)
            {
                manifestProblem = exception.Message;
            }
        }

        var comparison = File.Exists(folder.ComparisonPath)
            ? await File.ReadAllTextAsync(folder.ComparisonPath, cancellationToken)
            : null;

        return new HtmlReportContent
        {
            FolderPath = folder.Path,
            Samples = samples,
            Summary = summary,
            Manifest = manifest,
            ManifestProblem = manifestProblem,
            Figures = await EmbeddedFigure.ReadAllAsync(folder.FiguresPath, cancellationToken),
            ComparisonMarkdown = comparison,
        };
    }
}
