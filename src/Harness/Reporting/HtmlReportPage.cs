using System.Globalization;
using System.Xml.Linq;
using Harness.Measurement;

namespace Harness.Reporting;

/// <summary>
/// Renders the HTML report of a run: one self-contained page with the verdicts, the summary
/// table, the figures, the samples that did not end ok, <c>compare.md</c> when present and
/// the manifest. The page loads nothing from elsewhere and contains no script.
/// </summary>
public static class HtmlReportPage
{
    // Inline style only, so the page looks the same offline. The style element's text is
    // escaped like any other text, so the rules must not use '<', '>' or '&'.
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 76em;
          padding: 0 1.5em; color: #222; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
        .meta { color: #555; margin-top: 0; overflow-wrap: anywhere; }
        table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
        th, td { border: 1px solid #d4d4d4; padding: 0.25em 0.55em; text-align: left;
          vertical-align: top; }
        thead th { background: #f0f0f0; white-space: nowrap; vertical-align: bottom; }
        tbody th { background: #fafafa; font-weight: 600; white-space: nowrap; }
        table.summary td { white-space: nowrap; }
        table.summary td.noisy { white-space: normal; min-width: 11em; }
        .scroll { overflow-x: auto; }
        table.summary tbody { border-top: 2px solid #888; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        td.total { font-weight: 600; }
        .ci { display: block; color: #666; font-size: 0.85em; white-space: nowrap; }
        .noisy { color: #8a4b00; background: #fff4e0; }
        .warning { color: #8a1f11; background: #fdecea; padding: 0.5em 0.8em;
          border-left: 4px solid #c0392b; }
        .legend { color: #555; font-size: 0.9em; }
        table.facts th { white-space: nowrap; }
        table.facts td, td.error { overflow-wrap: anywhere; }
        td.error { white-space: pre-wrap; font-family: ui-monospace, monospace;
          font-size: 0.9em; }
        table.components td { border: none; padding: 0 1em 0 0; }
        figure { display: inline-block; vertical-align: top; margin: 1em 1.5em 1.5em 0; }
        figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { color: #555; font-size: 0.9em; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7;
          padding: 0.5em; }
        code { font-family: ui-monospace, monospace; }
        """;

    /// <summary>Returns the page for <paramref name="content"/> as text.</summary>
    public static string Render(HtmlReportContent content)
    {
        var experiment = HtmlManifestSection.ExperimentName(content.Manifest)
            ?? Path.GetFileName(Path.GetDirectoryName(content.FolderPath))
            ?? "run";
        var runName = Path.GetFileName(content.FolderPath);
        var body = new XElement(
            "body",
            new XElement("h1", $"Cold-start report: {experiment}"),
            new XElement(
                "p",
                new XAttribute("class", "meta"),
                $"{content.FolderPath} · {content.Samples.Count} samples · status "
                    + (content.Manifest?.Status ?? "unknown")
            ),
            StatusWarning(content),
            new XElement("h2", "Verdicts"),
            Verdicts(content),
            new XElement("h2", "Summary"),
            new XElement(
                "div",
                new XAttribute("class", "scroll"),
                HtmlSummaryTable.Build(content.Summary)
            ),
            new XElement(
                "p",
                new XAttribute("class", "legend"),
                "Times in milliseconds over the samples that are not warm-ups and ended ok. "
                    + ConsoleSummaryTable.Legend(content.Summary)
            ),
            new XElement("h2", "Figures"),
            Figures(content),
            new XElement("h2", "Samples that did not end ok"),
            Failures(content.Samples),
            Comparison(content.ComparisonMarkdown),
            new XElement("h2", "Run manifest"),
            HtmlManifestSection.Build(content.Manifest, content.ManifestProblem)
        );

        var html = new XElement(
            "html",
            new XAttribute("lang", "en"),
            new XElement(
                "head",
                new XElement("meta", new XAttribute("charset", "utf-8")),
                new XElement(
                    "meta",
                    new XAttribute("name", "viewport"),
                    new XAttribute("content", "width=device-width, initial-scale=1")
                ),
                new XElement("title", $"{experiment} {runName}: cold-start report"),
                new XElement("style", Style)
            ),
            body
        );
        return HtmlDocument.Serialize(html);
    }

    private static XElement? StatusWarning(HtmlReportContent content)
    {
        var status = content.Manifest?.Status;
        if (status is null || status == RunStatus.Complete)
        {
            return null;
        }

        var meaning = status switch
        {
            RunStatus.Interrupted => "it was interrupted, so the samples cover part of the plan.",
            RunStatus.Failed => "it stopped on an error, so the samples cover part of the plan.",
            RunStatus.Running =>
                "it is still running, or its process died before recording the end.",
            _ => "its status is not one the harness writes.",
        };
        return new XElement(
            "p",
            new XAttribute("class", "warning"),
            $"This run is not complete (status {status}): {meaning}"
        );
    }

    private static XElement Verdicts(HtmlReportContent content)
    {
        var sentences = SpeedupVerdicts.Describe(content.Summary);
        if (sentences.Count == 0)
        {
            return new XElement("p", "No samples, so there are no verdicts.");
        }

        return new XElement(
            "ul",
            sentences.Select(sentence => new XElement(
                "li",
                sentence.Contains("Too noisy", StringComparison.Ordinal)
                    ? new XAttribute("class", "noisy")
                    : null,
                sentence
            ))
        );
    }

    private static object Figures(HtmlReportContent content)
    {
        if (content.Figures.Count == 0)
        {
            return new XElement(
                "p",
                "No figures in this folder. Draw them with 'harness plot "
                    + $"{content.FolderPath}', then write the report again."
            );
        }

        // Each figure is an img with a data URI, not inline SVG. ScottPlot numbers clip-path
        // ids (cl_4, cl_5, ...) from the same start in every process, so figures drawn by
        // separate commands can share ids and would clip each other when inlined. An image
        // document also keeps any script or external link of its file to itself.
        return content.Figures.Select(figure => new XElement(
            "figure",
            new XElement(
                "img",
                new XAttribute("src", figure.DataUri),
                new XAttribute("alt", $"figure {figure.Name}"),
                figure.WidthInches is { } inches
                    ? new XAttribute("style", "width: " + ScreenWidth(inches))
                    : null
            ),
            new XElement("figcaption", $"figures/{figure.FileName}")
        ));
    }

    /// <summary>
    /// Returns the CSS width of a figure printed <paramref name="inches"/> wide. At the CSS
    /// scale of 96 px per inch the figures' 7 pt labels would be under 10 px tall, so the page
    /// shows them at 1.5 times their printed size. The max-width rule keeps them inside the
    /// page.
    /// </summary>
    private static string ScreenWidth(double inches) =>
        (inches * 96 * 1.5).ToString("0", CultureInfo.InvariantCulture) + "px";

    private static XElement Failures(IReadOnlyList<ColdStartSample> samples)
    {
        var failed = samples.Where(sample => sample.Status != SampleStatus.Ok).ToList();
        if (samples.Count == 0)
        {
            return new XElement("p", "None: samples.csv has no samples.");
        }

        if (failed.Count == 0)
        {
            return new XElement("p", "None: every sample ended ok.");
        }

        return new XElement(
            "table",
            new XAttribute("class", "failures"),
            new XElement(
                "thead",
                new XElement(
                    "tr",
                    new[]
                    {
                        "#",
                        "started (UTC)",
                        "workload",
                        "variant",
                        "repetition",
                        "warm-up",
                        "status",
                        "error",
                    }.Select(name => new XElement("th", new XAttribute("scope", "col"), name))
                )
            ),
            new XElement(
                "tbody",
                failed.Select(sample => new XElement(
                    "tr",
                    new XElement(
                        "td",
                        new XAttribute("class", "number"),
                        sample.Sequence.ToString(CultureInfo.InvariantCulture)
                    ),
                    new XElement("td", CsvValueFormat.Timestamp(sample.StartedAt)),
                    new XElement("td", sample.Workload),
                    new XElement("td", sample.Variant),
                    new XElement(
                        "td",
                        new XAttribute("class", "number"),
                        sample.Repetition.ToString(CultureInfo.InvariantCulture)
                    ),
                    new XElement("td", sample.Warmup ? "yes" : "no"),
                    new XElement("td", sample.Status),
                    new XElement(
                        "td",
                        new XAttribute("class", "error"),
                        sample.Error ?? "(no message)"
                    )
                ))
            )
        );
    }

    private static IEnumerable<XElement> Comparison(string? markdown)
    {
        if (markdown is null)
        {
            yield break;
        }

        yield return new XElement("h2", "Comparison with a baseline (compare.md)");
        foreach (var element in ComparisonMarkdownHtml.Convert(markdown))
        {
            yield return element;
        }
    }
}
