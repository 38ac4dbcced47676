using System.Globalization;
using System.Text;
using Harness.Statistics;

namespace Harness.Reporting;

/// <summary>Formats a run comparison as a Markdown report (<c>compare.md</c>).</summary>
public static class ComparisonMarkdown
{
    /// <summary>Returns the report: a verdict line, then one table row per workload, variant
    /// and phase.</summary>
    public static string Format(
        IReadOnlyList<PhaseComparison> comparisons,
        RunComparer comparer,
        string baseFolder,
        string newFolder
    )
    {
        var slower = comparisons.Where(item => item.Verdict == ChangeVerdict.Slower).ToList();
        var text = new StringBuilder();
        text.AppendLine("# Cold-start comparison");
        text.AppendLine();
        text.AppendLine($"- base: `{baseFolder}`");
        text.AppendLine($"- new: `{newFolder}`");
        text.AppendLine(
            $"- a phase changed when its median moved by more than {Percent(comparer.Threshold)} "
                + $"and the two-sided Mann-Whitney U test gives p < "
                + $"{comparer.SignificanceLevel.ToString("0.###", CultureInfo.InvariantCulture)}"
        );
        text.AppendLine();
        text.AppendLine(
            slower.Count == 0
                ? "**Verdict: no significant regression.**"
                : "**Verdict: regression in "
                    + string.Join(
                        ", ",
                        slower.Select(item =>
                            $"{item.Workload}/{item.Variant} {item.Phase} "
                            + $"({SignedPercent(item.Change)})"
                        )
                    )
                    + ".**"
        );
        text.AppendLine();
        text.AppendLine(
            "| workload | variant | phase | n base | n new | base median (ms) | "
                + "new median (ms) | change | p | verdict |"
        );
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var item in comparisons)
        {
            text.AppendLine(
                $"| {Escape(item.Workload)} | {Escape(item.Variant)} | {item.Phase} | "
                    + $"{item.BaseCount} | {item.NewCount} | {Milliseconds(item.BaseMedian)} | "
                    + $"{Milliseconds(item.NewMedian)} | {SignedPercent(item.Change)} | "
                    + $"{ConsoleSummaryTable.PValue(item.PValue)} | {Verdict(item.Verdict)} |"
            );
        }

        return text.ToString();
    }

    private static string Verdict(ChangeVerdict verdict) =>
        verdict switch
        {
            ChangeVerdict.Slower => "**slower**",
            ChangeVerdict.Faster => "faster",
            ChangeVerdict.Missing => "missing",
            _ => "unchanged",
        };

    private static string Milliseconds(double? value) =>
        value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";

    private static string SignedPercent(double? fraction) =>
        fraction is { } value
            ? (value * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %"
            : "-";

    private static string Percent(double fraction) =>
        (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Escape(string text) => text.Replace("|", "\\|");
}
