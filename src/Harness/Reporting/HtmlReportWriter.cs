namespace Harness.Reporting;

/// <summary>Writes the HTML report of a results folder, replacing the file atomically.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>Default file name of the report inside the results folder.</summary>
    public const string DefaultFileName = "report.html";

    /// <summary>
    /// Reads <paramref name="folder"/>, renders the report and writes it to
    /// <paramref name="outputPath"/> (default <c>report.html</c> in the folder); returns the
    /// full path written.
    /// </summary>
    public static async Task<string> WriteAsync(
        ResultsFolder folder,
        string? outputPath,
        CancellationToken cancellationToken
    )
    {
        var path = Path.GetFullPath(outputPath ?? Path.Combine(folder.Path, DefaultFileName));
        if (Directory.Exists(path))
        {
            throw new HarnessException(
                $"--output {path} is a folder; pass a file path such as {path}/report.html."
            );
        }

        var content = await HtmlReportContent.ReadAsync(folder, cancellationToken);
        var page = HtmlReportPage.Render(content);
        try
        {
            await AtomicFile.WriteTextAsync(path, page, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException(
                $"Could not write the report to {path}: {exception.Message} Choose a writable "
                    + "path with --output.",
                exception
            );
        }

        return path;
    }
}
