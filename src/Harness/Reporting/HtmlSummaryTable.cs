using System.Globalization;
using System.Xml.Linq;
using Harness.Measurement;
using Harness.Statistics;

namespace Harness.Reporting;

/// <summary>
/// Builds the summary table of the HTML report. Each workload, variant and phase gets a row
/// with n and the median and p95 with their intervals. The total row adds the speedup over
/// overlayfs with its interval, the Mann-Whitney U p-value and the noise flag.
/// </summary>
public static class HtmlSummaryTable
{
    /// <summary>Returns the <c>table</c> element for <paramref name="summary"/>.</summary>
    public static XElement Build(RunSummary summary)
    {
        var level = Percent(summary.Options.ConfidenceLevel);
        var table = new XElement(
            "table",
            new XAttribute("class", "summary"),
            new XElement(
                "thead",
                new XElement(
                    "tr",
                    Header("workload"),
                    Header("variant"),
                    Header("phase"),
                    Header("n", "number"),
                    Header("failed", "number"),
                    Header("warm-up", "number"),
                    Header("median (ms)", "number", $"[{level} CI]"),
                    Header("p95 (ms)", "number", $"[{level} CI]"),
                    Header("speedup", "number", $"[{level} CI]"),
                    Header("p", "number", "Mann-Whitney"),
                    Header("noise")
                )
            )
        );

        foreach (var entry in summary.Variants)
        {
            var body = new XElement("tbody");
            for (var index = 0; index < entry.Phases.Count; index++)
            {
                var phase = entry.Phases[index];
                var row = new XElement("tr");
                if (index == 0)
                {
                    var span = new XAttribute("rowspan", entry.Phases.Count);
                    row.Add(
                        new XElement(
                            "th",
                            span,
                            new XAttribute("scope", "rowgroup"),
                            entry.Workload
                        ),
                        new XElement("th", span, new XAttribute("scope", "rowgroup"), entry.Variant)
                    );
                }

                var isTotal = phase.Phase == Phase.Total;
                row.Add(
                    new XElement(
                        "td",
                        isTotal ? new XAttribute("class", "total") : null,
                        phase.Phase
                    ),
                    Number(Integer(phase.Count)),
                    Number(isTotal ? Integer(entry.FailedCount) : ""),
                    Number(isTotal ? Integer(entry.WarmupCount) : ""),
                    Estimate(Milliseconds(phase.Median), phase.MedianInterval, Milliseconds),
                    Estimate(Milliseconds(phase.P95), phase.P95Interval, Milliseconds),
                    isTotal ? Speedup(entry.Speedup) : Number(""),
                    Number(isTotal ? PValue(entry.Speedup?.MannWhitneyPValue) : ""),
                    isTotal ? Noise(entry, summary.Options) : new XElement("td")
                );
                body.Add(row);
            }

            table.Add(body);
        }

        return table;
    }

    private static XElement Header(string text, string? style = null, string? note = null) =>
        new(
            "th",
            new XAttribute("scope", "col"),
            style is null ? null : new XAttribute("class", style),
            text,
            note is null ? null : new XElement("span", new XAttribute("class", "ci"), note)
        );

    private static XElement Number(string text) =>
        new("td", new XAttribute("class", "number"), text);

    private static XElement Estimate(
        string value,
        ConfidenceBounds? interval,
        Func<double?, string> format
    ) =>
        new(
            "td",
            new XAttribute("class", "number"),
            value,
            interval is null
                ? null
                : new XElement(
                    "span",
                    new XAttribute("class", "ci"),
                    $"[{format(interval.Lower)}, {format(interval.Upper)}]"
                )
        );

    private static XElement Speedup(SpeedupEstimate? speedup) =>
        speedup is null
            ? Number("-")
            : Estimate(Ratio(speedup.Ratio) + "x", speedup.Interval, Ratio);

    private static XElement Noise(VariantSummary entry, SummaryOptions options)
    {
        if (entry.RelativeSpread is not { } spread)
        {
            return new XElement("td", "-");
        }

        return entry.Noisy
            ? new XElement(
                "td",
                new XAttribute("class", "noisy"),
                $"noisy: p95 {Percent(spread)} above median (limit "
                    + $"{Percent(options.NoiseThreshold)})"
            )
            : new XElement("td", $"ok ({Percent(spread)})");
    }

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Milliseconds(double? value) =>
        value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";

    private static string Ratio(double? value) =>
        value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";

    private static string PValue(double? value) => ConsoleSummaryTable.PValue(value);

    private static string Percent(double fraction) =>
        (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
