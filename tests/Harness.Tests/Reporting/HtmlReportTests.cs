using System.Xml.Linq;
using Harness.Commands;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class HtmlReportTests : IDisposable
{
    private readonly HtmlReportRun run = new();

    public void Dispose() => run.Dispose();

    private async Task<XDocument> ReportAsync()
    {
        var exitCode = await Harness.Commands.CommandLine.RunAsync(["report", run.Path]);
        Assert.Equal(ExitCodes.Success, exitCode);
        return run.ParseReport();
    }

    private static List<string> Cells(XElement row) =>
        row.Elements().Select(cell => cell.Value).ToList();

    /// <summary>Returns the cells of the summary row of a phase, from the phase column on.
    /// The first row of a variant also carries the workload and variant headers.</summary>
    private static List<string> SummaryRow(XDocument page, string variant, string phase)
    {
        var body = page.Descendants("table")
            .Single(table => (string?)table.Attribute("class") == "summary")
            .Elements("tbody")
            .Single(group =>
                group.Elements("tr").First().Elements("th").ElementAt(1).Value == variant
            );
        var row = body.Elements("tr").Single(row => row.Elements("td").First().Value == phase);
        return row.Elements("td").Select(cell => cell.Value).ToList();
    }

    [Fact]
    public async Task PageParsesAsXml()
    {
        var page = await ReportAsync();

        Assert.Equal("html", page.Root!.Name.LocalName);
        Assert.StartsWith("<!DOCTYPE html>\n", await File.ReadAllTextAsync(run.ReportPath));
        Assert.Single(page.Descendants("body"));
    }

    [Fact]
    public async Task SummaryShowsHandWorkedValues()
    {
        var page = await ReportAsync();
        var estargzTotal = SummaryRow(page, "estargz", "total");
        var estargzCreate = SummaryRow(page, "estargz", "create");
        var overlayfsTotal = SummaryRow(page, "overlayfs", "total");

        // estargz totals of the ok, measured samples: 400, 500, 600, 700, 800. Median 600;
        // p95 by type 7 at rank 1 + 0.95 * 4 = 4.8: 700 + 0.8 * 100 = 780. One sample
        // failed (sequence 6), one is a warm-up (sequence 1).
        Assert.Equal("5", estargzTotal[1]);
        Assert.Equal("1", estargzTotal[2]);
        Assert.Equal("1", estargzTotal[3]);
        Assert.StartsWith("600.0[", estargzTotal[4]);
        Assert.StartsWith("780.0[", estargzTotal[5]);

        // Speedup 1200 / 600; exact Mann-Whitney p: the two most extreme of the C(10, 5) =
        // 252 orderings, 2 / 252 = 0.0079. Spread (780 - 600) / 600 = 30 % over 25 %.
        Assert.StartsWith("2.00x[", estargzTotal[6]);
        Assert.Equal("0.0079", estargzTotal[7]);
        Assert.Equal("noisy: p95 30% above median (limit 25%)", estargzTotal[8]);

        // estargz create: 250, 350, 450, 550, 650: median 450, p95 550 + 0.8 * 100 = 630.
        Assert.StartsWith("450.0[", estargzCreate[4]);
        Assert.StartsWith("630.0[", estargzCreate[5]);

        // overlayfs totals 1000 ... 1400 (sequence 11 timed out): median 1200, p95 1380,
        // spread 180 / 1200 = 15 %.
        Assert.Equal("5", overlayfsTotal[1]);
        Assert.Equal("1", overlayfsTotal[2]);
        Assert.StartsWith("1200.0[", overlayfsTotal[4]);
        Assert.StartsWith("1380.0[", overlayfsTotal[5]);
        Assert.Equal("-", overlayfsTotal[6]);
        Assert.Equal("ok (15%)", overlayfsTotal[8]);
    }

    [Fact]
    public async Task VerdictsStateSpeedupAndNoise()
    {
        var page = await ReportAsync();
        var verdicts = page.Descendants("li").Select(item => item.Value).ToList();

        var hello = Assert.Single(verdicts, text => text.StartsWith("hello: estargz"));
        Assert.StartsWith("hello: estargz is 2.00x faster than overlayfs on total (95% CI ", hello);
        Assert.Contains(", p = 0.0079).", hello);
        Assert.DoesNotContain("not statistically significant", hello);
        Assert.EndsWith(
            "Too noisy to trust: the p95 of the total is more than 25% above the median for "
                + "estargz (30%).",
            hello
        );
        Assert.Contains(
            "solo: estargz-noopt has no speedup, because overlayfs has no successful samples "
                + "of this workload.",
            verdicts
        );
    }

    [Fact]
    public async Task VerdictIntervalMatchesSummary()
    {
        var page = await ReportAsync();
        var samples = SampleCsvReader.Read(Path.Combine(run.Path, "samples.csv"));
        var interval = new Harness.Statistics.SummaryCalculator()
            .Summarize(samples)
            .Variants.Single(entry => entry.Variant == "estargz")
            .Speedup!.Interval!;
        var hello = page.Descendants("li").Single(item => item.Value.StartsWith("hello:"));

        Assert.Contains(
            FormattableString.Invariant($"95% CI {interval.Lower:0.00}–{interval.Upper:0.00},"),
            hello.Value
        );
    }

    [Fact]
    public async Task FiguresAreEmbeddedAsDataUris()
    {
        await run.AddFiguresAsync();

        var page = await ReportAsync();
        var sources = page.Descendants("img")
            .Select(image => (string)image.Attribute("src")!)
            .ToList();

        // phases.svg wins over phases.png; timeline has only a PNG. Phases comes first.
        Assert.Equal(2, sources.Count);
        Assert.StartsWith("data:image/svg+xml;base64,", sources[0]);
        Assert.Equal(
            HtmlReportRun.PhasesSvg,
            System.Text.Encoding.UTF8.GetString(
                Convert.FromBase64String(sources[0]["data:image/svg+xml;base64,".Length..])
            )
        );
        Assert.StartsWith("data:image/png;base64,", sources[1]);
        Assert.Equal(
            HtmlReportRun.PngBytes,
            Convert.FromBase64String(sources[1]["data:image/png;base64,".Length..])
        );
    }

    [Fact]
    public async Task FiguresGetOneAndHalfTimesPrintedWidth()
    {
        await run.AddFiguresAsync();

        var page = await ReportAsync();
        var styles = page.Descendants("img")
            .Select(image => (string?)image.Attribute("style"))
            .ToList();

        // 7 in * 96 px * 1.5 = 1008 px; the PNG is 600 px at 300 dpi = 2 in, 288 px.
        Assert.Equal(["width: 1008px", "width: 288px"], styles);
    }

    [Fact]
    public async Task PageLoadsNothingFromElsewhere()
    {
        await run.AddFiguresAsync();
        await run.AddManifestAsync();

        var page = await ReportAsync();
        var references = page.Descendants()
            .Attributes()
            .Where(attribute => attribute.Name.LocalName is "src" or "href")
            .Select(attribute => attribute.Value)
            .ToList();

        Assert.NotEmpty(references);
        Assert.All(references, value => Assert.StartsWith("data:", value));
        Assert.Empty(page.Descendants("script"));
        Assert.Empty(page.Descendants("link"));
    }

    [Fact]
    public async Task ErrorTextIsEscaped()
    {
        const string error = "<script>alert(\"x\")</script> & <b>bold</b>";
        var lines = await File.ReadAllLinesAsync(run.File("samples.csv"));
        lines[7] = lines[7]
            .Replace(
                "\"readiness probe failed: GET /healthz returned 503\"",
                "\"" + error.Replace("\"", "\"\"") + "\""
            );
        await File.WriteAllLinesAsync(run.File("samples.csv"), lines);

        var page = await ReportAsync();
        var text = await File.ReadAllTextAsync(run.ReportPath);
        var errors = page.Descendants("td")
            .Where(cell => (string?)cell.Attribute("class") == "error")
            .Select(cell => cell.Value)
            .ToList();

        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", text);
        Assert.Contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;b&gt;", text);
        Assert.Equal([error, "no response within 60 s"], errors);
    }

    [Fact]
    public async Task FailedSamplesAreListed()
    {
        var page = await ReportAsync();
        var rows = page.Descendants("table")
            .Single(table => (string?)table.Attribute("class") == "failures")
            .Element("tbody")!
            .Elements("tr")
            .Select(Cells)
            .ToList();

        Assert.Equal(2, rows.Count);
        Assert.Equal(
            [
                "6",
                "2026-01-31T12:01:00.000Z",
                "hello",
                "estargz",
                "3",
                "no",
                "failed",
                "readiness probe failed: GET /healthz returned 503",
            ],
            rows[0]
        );
        Assert.Equal("11", rows[1][0]);
        Assert.Equal("timed_out", rows[1][6]);
    }

    [Fact]
    public async Task ManifestIsShown()
    {
        await run.AddManifestAsync(commit: "abc<def>");

        var page = await ReportAsync();
        var facts = page.Descendants("table")
            .Single(table => (string?)table.Attribute("class") == "facts")
            .Elements("tr")
            .ToDictionary(row => row.Element("th")!.Value, row => row.Element("td")!);

        Assert.Equal("Cold-start report: hello-experiment", page.Descendants("h1").Single().Value);
        Assert.Equal("interrupted", facts["status"].Value);
        Assert.Equal("9.8.7", facts["harness version"].Value);
        Assert.Equal("abc<def> (uncommitted changes)", facts["commit"].Value);
        Assert.Equal("31337", facts["seed"].Value);
        Assert.Equal("100 Mbit/s, 20 ms round trip, 0% loss", facts["link as set"].Value);
        Assert.Equal("97.5 Mbit/s, 20.4 ms round trip, 0% loss", facts["link as measured"].Value);
        Assert.Equal("2026-01-31T12:00:00.000Z", facts["started"].Value);
        Assert.Equal("2026-01-31T12:02:30.000Z (2 min 30 s)", facts["ended"].Value);
        Assert.Equal("Test CPU, 4 logical", facts["CPU"].Value);
        Assert.Equal("8.0 GiB", facts["memory"].Value);
        Assert.Equal(
            ["containerd", "1.6.20"],
            facts["components"].Descendants("td").Select(cell => cell.Value)
        );
        Assert.Contains(page.Descendants("p"), paragraph =>
            paragraph.Value.StartsWith("This run is not complete (status " + "interrupted)")
        );
    }

    [Fact]
    public async Task InvalidManifestIsReportedOnPage()
    {
        await File.WriteAllTextAsync(run.File("manifest.json"), "{ not json");

        var page = await ReportAsync();
        var warning = page.Descendants("p")
            .Single(paragraph => paragraph.Value.StartsWith("No manifest to show:"));

        Assert.Contains("is not a valid run manifest", warning.Value);
    }

    [Fact]
    public async Task ComparisonIsIncluded()
    {
        var exitCode = await Harness.Commands.CommandLine.RunAsync(["compare", run.Path, run.Path]);
        Assert.Equal(ExitCodes.Success, exitCode);

        var page = await ReportAsync();
        var table = page.Descendants("table")
            .Single(element => (string?)element.Attribute("class") == "comparison");
        var header = table.Element("thead")!.Descendants("th").Select(cell => cell.Value);

        // Three workload/variant pairs with six phases each, compared with themselves.
        Assert.Contains("base median (ms)", header);
        Assert.Equal(18, table.Element("tbody")!.Elements("tr").Count());
        Assert.Contains(page.Descendants("strong"), element =>
            element.Value == "Verdict: no significant regression."
        );
    }

    [Fact]
    public async Task OutputOptionChoosesFile()
    {
        var output = run.File(Path.Combine("shared", "page.html"));

        var exitCode = await Harness.Commands.CommandLine.RunAsync([
            "report",
            run.Path,
            "--output",
            output,
        ]);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(run.ReportPath));
    }

    [Fact]
    public async Task OutputFolderIsInvalidInput()
    {
        var exitCode = await Harness.Commands.CommandLine.RunAsync([
            "report",
            run.Path,
            "--output",
            run.Path,
        ]);

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.False(File.Exists(run.ReportPath));
    }

    [Fact]
    public async Task FolderWithoutSamplesIsInvalidInput()
    {
        using var empty = new TemporaryFolder();

        var exitCode = await Harness.Commands.CommandLine.RunAsync(["report", empty.Path]);

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.Empty(Directory.GetFileSystemEntries(empty.Path));
    }

    [Fact]
    public async Task HeaderOnlySamplesGiveEmptyReport()
    {
        await File.WriteAllTextAsync(
            run.File("samples.csv"),
            string.Join(",", SampleCsvColumns.All) + "\n"
        );

        var page = await ReportAsync();
        var paragraphs = page.Descendants("p").Select(paragraph => paragraph.Value).ToList();

        Assert.Contains("No samples, so there are no verdicts.", paragraphs);
        Assert.Contains("None: samples.csv has no samples.", paragraphs);
        var summary = page.Descendants("table")
            .Single(table => (string?)table.Attribute("class") == "summary");
        Assert.Empty(summary.Elements("tbody"));
    }

    [Fact]
    public async Task InvalidSamplesLeaveNoFile()
    {
        await File.WriteAllTextAsync(run.File("samples.csv"), "not,a,samples,file\n1,2,3,4\n");

        var exitCode = await Harness.Commands.CommandLine.RunAsync(["report", run.Path]);

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.Equal(
            ["samples.csv"],
            Directory.GetFileSystemEntries(run.Path).Select(Path.GetFileName)
        );
    }
}
