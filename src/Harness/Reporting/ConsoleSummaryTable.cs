using System.Globalization;
using Harness.Measurement;
using Harness.Statistics;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>
/// Prints the run summary as a table: per workload and variant the sample counts, median and
/// p95 of the total, the speedup over overlayfs with its interval and p-value, and the noise
/// flag. The gap between total and phases is in summary.csv only, to keep the table narrow.
/// </summary>
public static class ConsoleSummaryTable
{
    private const int RedirectedWidth = 120;

    /// <summary>Builds the table for <paramref name="summary"/>.</summary>
    public static Table Build(RunSummary summary)
    {
        var table = new Table()
            .Border(TableBorder.Simple)
            .Title("Cold-start summary: total time of measured samples");
        table.AddColumn(new TableColumn("workload").NoWrap());
        table.AddColumn(new TableColumn("variant").NoWrap());
        table.AddColumn(new TableColumn("n (failed)").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("median").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("p95").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("speedup [[CI]]").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("p (M-W)").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("noise").NoWrap());

        foreach (var entry in summary.Variants)
        {
            var total = entry.Phase(Phase.Total);
            var failed = entry.FailedCount > 0 ? $" [red]({entry.FailedCount})[/]" : "";
            table.AddRow(
                Markup.Escape(entry.Workload),
                Markup.Escape(entry.Variant),
                entry.Count.ToString(CultureInfo.InvariantCulture) + failed,
                Duration(total.Median),
                Duration(total.P95),
                Speedup(entry.Speedup),
                PValue(entry.Speedup?.MannWhitneyPValue),
                entry.Noisy ? $"[yellow]noisy {Percent(entry.RelativeSpread)}[/]"
                    : entry.RelativeSpread is null ? "-"
                    : "ok"
            );
        }

        return table;
    }

    /// <summary>Returns the note printed under the table, explaining its columns.</summary>
    public static string Legend(RunSummary summary) =>
        "speedup: overlayfs median / variant median, with its bootstrap interval and the "
        + "Mann-Whitney U p-value; "
        + $"noisy: (p95 - median) / median above {Percent(summary.Options.NoiseThreshold)}; "
        + $"intervals at {Percent(summary.Options.ConfidenceLevel)} confidence.";

    /// <summary>Writes the table to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, RunSummary summary)
    {
        // Spectre.Console assumes 80 columns when output goes to a file or a CI log, and at
        // that width it wraps every cell of this table. A log has no width limit.
        if (Console.IsOutputRedirected && console.Profile.Width < RedirectedWidth)
        {
            console.Profile.Width = RedirectedWidth;
        }

        console.Write(Build(summary));
        console.WriteLine(Legend(summary));
    }

    private static string Duration(double? milliseconds) =>
        milliseconds switch
        {
            null => "-",
            >= 1000 or <= -1000 => (milliseconds.Value / 1000).ToString(
                "0.000",
                CultureInfo.InvariantCulture
            ) + " s",
            _ => milliseconds.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        };

    private static string Speedup(SpeedupEstimate? speedup)
    {
        if (speedup is null)
        {
            return "-";
        }

        var invariant = CultureInfo.InvariantCulture;
        var text = speedup.Ratio.ToString("0.00", invariant) + "x";
        if (speedup.Interval is { } interval)
        {
            text +=
                $" [[{interval.Lower.ToString("0.00", invariant)}, "
                + $"{interval.Upper.ToString("0.00", invariant)}]]";
        }

        return text;
    }

    /// <summary>Formats a p-value with four decimals, or as "&lt; 0.0001" below that.
    /// </summary>
    public static string PValue(double? value) =>
        value switch
        {
            null => "-",
            < 0.0001 => "< 0.0001",
            _ => value.Value.ToString("0.0000", CultureInfo.InvariantCulture),
        };

    private static string Percent(double? fraction) =>
        fraction is { } value
            ? (value * 100).ToString("0", CultureInfo.InvariantCulture) + " %"
            : "-";
}
