using System.Globalization;
using Harness.Measurement;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// One horizontal bar per sample in run order, split into its phases, so drift over the run
/// and outlying samples stand out. Warm-ups are included and marked in the labels.
/// </summary>
internal static class TimelineFigure
{
    /// <summary>Up to this many samples every row is labelled; beyond it the labels would
    /// overlap, so the axis shows the run position instead.</summary>
    private const int MaxLabelledRows = 40;

    public static Figure? Build(IReadOnlyList<ColdStartSample> samples)
    {
        var rows = samples
            .Where(sample => Phase.Parts.Any(phase => Value(sample, phase) is not null))
            .OrderBy(sample => sample.Sequence)
            .ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var scale = TimeScale.For(
            rows.Select(sample =>
                Math.Max(sample.TotalMs ?? 0, Phase.Parts.Sum(phase => Value(sample, phase) ?? 0))
            )
        );
        var grouped = rows.Select(sample => sample.Workload).Distinct().Count() > 1;

        var plot = new Plot();
        var bars = new List<Bar>();
        var labels = new List<string>();
        for (var index = 0; index < rows.Count; index++)
        {
            var sample = rows[index];
            var start = 0.0;
            foreach (var phase in Phase.Parts)
            {
                var duration = scale.Convert(Value(sample, phase) ?? 0);
                bars.Add(
                    new Bar
                    {
                        Position = -index,
                        ValueBase = start,
                        Value = start + duration,
                        Size = 0.8,
                        FillColor = FigureStyle.PhaseColor(phase),
                        LineWidth = 0,
                    }
                );
                start += duration;
            }

            var name = grouped ? $"{sample.Workload}/{sample.Variant}" : sample.Variant;
            labels.Add(
                $"{name} #{sample.Sequence}{(sample.Warmup ? " (warm-up)" : "")}"
                    + (sample.Status == SampleStatus.Ok ? "" : $" ({sample.Status})")
            );
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        if (rows.Count <= MaxLabelledRows)
        {
            plot.Axes.Left.SetTicks(
                Enumerable.Range(0, rows.Count).Select(index => (double)-index).ToArray(),
                labels.ToArray()
            );
            plot.Axes.Left.MajorTickStyle.Length = 0;
        }
        else
        {
            // Label every tenth row with its position in the run.
            var positions = Enumerable.Range(0, rows.Count).Where(index => index % 10 == 0);
            plot.Axes.Left.SetTicks(
                positions.Select(index => (double)-index).ToArray(),
                positions.Select(index => index.ToString(CultureInfo.InvariantCulture)).ToArray()
            );
            plot.YLabel("Sample (run order, top first)");
        }

        var maxX = bars.Max(bar => bar.Value);
        plot.Axes.SetLimitsX(0, (maxX > 0 ? maxX : 1) * 1.05);
        plot.Axes.SetLimitsY(-rows.Count + 0.4, 0.6);
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Title("Phases of every sample, in run order");
        plot.XLabel($"Time ({scale.Unit})");

        foreach (var phase in Phase.Parts)
        {
            plot.Legend.ManualItems.Add(
                new LegendItem
                {
                    LabelText = FigureStyle.PhaseLabel(phase),
                    FillColor = FigureStyle.PhaseColor(phase),
                }
            );
        }

        FigureLayout.ShowLegendBelow(plot);

        var height = Math.Min(9.0, 1.6 + 0.16 * Math.Min(rows.Count, 200));
        return new Figure("timeline", plot, FigureStyle.DoubleColumnInches, height);
    }

    private static double? Value(ColdStartSample sample, string phase) =>
        Statistics.SummaryCalculator.PhaseValue(sample, phase);
}
