using Harness.Commands;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class HtmlReportChromiumTests : IDisposable
{
    private const string WindowSize = "--window-size=1280,2000";

    private readonly HtmlReportRun run = new();

    public void Dispose() => run.Dispose();

    /// <summary>Writes the report of the fixture run with a manifest, compare.md and real
    /// figures when a font is installed, else the hand-made SVG.</summary>
    private async Task WriteReportAsync()
    {
        await run.AddManifestAsync();
        var plotted = await Harness.Commands.CommandLine.RunAsync([
            "plot",
            run.Path,
            "--format",
            "svg",
        ]);
        if (plotted != ExitCodes.Success)
        {
            Directory.CreateDirectory(run.File("figures"));
            await File.WriteAllTextAsync(
                run.File(Path.Combine("figures", "phases.svg")),
                HtmlReportRun.PhasesSvg
            );
        }

        Assert.Equal(
            ExitCodes.Success,
            await Harness.Commands.CommandLine.RunAsync(["compare", run.Path, run.Path])
        );
        Assert.Equal(
            ExitCodes.Success,
            await Harness.Commands.CommandLine.RunAsync(["report", run.Path])
        );
    }

    // Assert.Empty shortens long lines, so the full Chromium lines go in the message.
    private static void AssertNoConsoleLines(string standardError, string page)
    {
        var lines = HeadlessChromium.ConsoleLines(standardError, page);
        Assert.True(lines.Count == 0, string.Join('\n', lines));
    }

    private static int Count(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    [ChromiumFact(Timeout = 240_000)]
    public async Task ReportRendersWithoutConsoleMessages()
    {
        await WriteReportAsync();

        var result = await HeadlessChromium.RunAsync(run.ReportPath, "--dump-dom");
        var written = await File.ReadAllTextAsync(run.ReportPath);

        AssertNoConsoleLines(result.StandardError, run.ReportPath);
        Assert.Contains("<h1>Cold-start report: hello-experiment</h1>", result.StandardOutput);
        Assert.Contains("hello: estargz is 2.00x faster than overlayfs", result.StandardOutput);

        // The HTML parser finds the rows, cells and images that the file was written with.
        Assert.InRange(Count(written, "<tr>"), 19, int.MaxValue);
        Assert.Equal(Count(written, "<tr>"), Count(result.StandardOutput, "<tr>"));
        Assert.Equal(Count(written, "<td"), Count(result.StandardOutput, "<td"));
        Assert.Equal(Count(written, "<img "), Count(result.StandardOutput, "<img "));
    }

    [ChromiumFact(Timeout = 240_000)]
    public async Task ReportScreenshotIsNotBlank()
    {
        await WriteReportAsync();
        var screenshot = run.File("report.png");

        var result = await HeadlessChromium.RunAsync(
            run.ReportPath,
            $"--screenshot={screenshot}",
            WindowSize
        );

        // Text, table borders and figure lines cover a few percent of a 1280 x 2000 page.
        Assert.True(File.Exists(screenshot), result.StandardError);
        Assert.InRange(HeadlessChromium.InkShare(screenshot), 0.02, 0.9);
        AssertNoConsoleLines(result.StandardError, run.ReportPath);
    }

    [ChromiumFact(Timeout = 240_000)]
    public async Task ConsoleErrorIsDetected()
    {
        // The other tests pass when Chromium logs no console line, so check that a page's
        // console message and uncaught exception do show up in the log.
        var page = run.File("noisy.html");
        await File.WriteAllTextAsync(
            page,
            "<!DOCTYPE html><html><body><p>x</p><script>console.error('probe-1');"
                + "missingFunction();</script></body></html>"
        );

        var result = await HeadlessChromium.RunAsync(page, "--dump-dom");
        var lines = HeadlessChromium.ConsoleLines(result.StandardError, page);

        Assert.Contains(lines, line => line.Contains("probe-1"));
        Assert.Contains(lines, line => line.Contains("Uncaught ReferenceError"));
    }

    [ChromiumFact(Timeout = 240_000)]
    public async Task BlankPageHasNoInk()
    {
        var page = run.File("blank.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body></body></html>");
        var screenshot = run.File("blank.png");

        await HeadlessChromium.RunAsync(page, $"--screenshot={screenshot}", WindowSize);

        Assert.Equal(0, HeadlessChromium.InkShare(screenshot));
    }
}
