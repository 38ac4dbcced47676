using System.Globalization;

namespace Harness.Reporting;

/// <summary>
/// The files of one run: <c>results/&lt;experiment&gt;/&lt;UTC time&gt;/</c> containing
/// <c>samples.csv</c>, <c>summary.csv</c>, <c>manifest.json</c> and <c>figures/</c>.
/// </summary>
public sealed record ResultsFolder(string Path)
{
    /// <summary>Format of the folder name: UTC time without characters that need quoting in
    /// shells or are invalid in file names elsewhere.</summary>
    public const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public string SamplesPath => System.IO.Path.Combine(Path, "samples.csv");
    public string SummaryPath => System.IO.Path.Combine(Path, "summary.csv");
    public string ManifestPath => System.IO.Path.Combine(Path, "manifest.json");
    public string FiguresPath => System.IO.Path.Combine(Path, "figures");
    public string ComparisonPath => System.IO.Path.Combine(Path, "compare.md");

    /// <summary>Creates the folder of a new run under <paramref name="resultsRoot"/>.</summary>
    public static ResultsFolder Create(
        string resultsRoot,
        string experimentName,
        DateTimeOffset startedAt
    )
    {
        var name = startedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(resultsRoot, FileNames.Safe(experimentName), name);
        if (Directory.Exists(path))
        {
            throw new HarnessException(
                $"Results folder {path} already exists. Wait a second and start the run again."
            );
        }

        Directory.CreateDirectory(path);
        return new ResultsFolder(path);
    }

    /// <summary>Opens the folder of an earlier run; it must contain <c>samples.csv</c>.</summary>
    public static ResultsFolder Open(string path)
    {
        var folder = new ResultsFolder(System.IO.Path.GetFullPath(path));
        if (!Directory.Exists(folder.Path))
        {
            throw new HarnessException(
                $"Results folder not found: {folder.Path}. Pass a folder written by "
                    + "'harness run', such as results/<experiment>/<UTC time>."
            );
        }

        if (!File.Exists(folder.SamplesPath))
        {
            throw new HarnessException(
                $"{folder.Path} contains no samples.csv, so it is not the results folder of "
                    + "a run. Pass a folder such as results/<experiment>/<UTC time>."
            );
        }

        return folder;
    }
}
