using Harness.Measurement;
using Harness.Statistics;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// Horizontal bars, one per workload and variant, stacked from the median of each phase, with
/// a mark at the median total and a line from there to its p95. Bars run horizontally so long
/// workload and variant names fit as axis labels without overlapping.
/// </summary>
internal static class PhaseBarsFigure
{
    private const double BarSize = 0.7;

    public static Figure? Build(RunSummary summary)
    {
        var entries = summary.Variants.Where(entry => entry.Count > 0).ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        var workloads = entries.Select(entry => entry.Workload).Distinct().ToList();
        var grouped = workloads.Count > 1;
        var scale = TimeScale.For(
            entries.SelectMany(entry =>
                new[]
                {
                    entry.Phase(Phase.Total).Median ?? 0,
                    Phase.Parts.Sum(phase => entry.Phase(phase).Median ?? 0),
                }
            )
        );

        var plot = new Plot();
        var bars = new List<Bar>();
        var totals = new List<Coordinates>();
        var tickPositions = new List<double>();
        var tickLabels = new List<string>();
        var whiskers = new List<(double From, double To, double Position)>();
        // Rows go top-down: position 0 is the top row, so positions decrease. Workloads are
        // separated by half a row of space.
        var position = 0.0;
        foreach (var workload in workloads)
        {
            foreach (var entry in entries.Where(entry => entry.Workload == workload))
            {
                var start = 0.0;
                foreach (var phase in Phase.Parts)
                {
                    var median = scale.Convert(entry.Phase(phase).Median ?? 0);
                    bars.Add(
                        new Bar
                        {
                            Position = position,
                            ValueBase = start,
                            Value = start + median,
                            Size = BarSize,
                            FillColor = FigureStyle.PhaseColor(phase),
                            LineWidth = 0,
                        }
                    );
                    start += median;
                }

                if (entry.Phase(Phase.Total) is { Median: { } total, P95: { } p95 })
                {
                    totals.Add(new Coordinates(scale.Convert(total), position));
                    whiskers.Add((scale.Convert(total), scale.Convert(p95), position));
                }

                tickPositions.Add(position);
                tickLabels.Add(grouped ? $"{entry.Workload}/{entry.Variant}" : entry.Variant);
                position -= 1;
            }

            position -= 0.5;
        }

        var lowest = tickPositions[^1];
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        // A thin line from the median to the p95 of the total shows the tail of each variant.
        foreach (var (from, to, row) in whiskers)
        {
            var whisker = plot.Add.Line(from, row, to, row);
            whisker.Color = Colors.Black;
            whisker.LineWidth = 1;
        }

        var markers = plot.Add.ScatterPoints(totals.ToArray());
        markers.Color = Colors.Black;
        markers.MarkerShape = MarkerShape.VerticalBar;
        markers.MarkerSize = 14;
        markers.MarkerLineWidth = 2;

        plot.Axes.Left.SetTicks(tickPositions.ToArray(), tickLabels.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        var maxX = bars.Select(bar => bar.Value)
            .Concat(whiskers.Select(whisker => whisker.To))
            .DefaultIfEmpty(1)
            .Max();
        plot.Axes.SetLimitsX(0, (maxX > 0 ? maxX : 1) * 1.08);
        plot.Axes.SetLimitsY(lowest - BarSize, BarSize);
        plot.Grid.YAxisStyle.IsVisible = false;

        plot.Title(
            grouped
                ? "Cold-start phases (medians)"
                : $"Cold-start phases of {workloads[0]} (medians)"
        );
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

        plot.Legend.ManualItems.Add(
            new LegendItem
            {
                LabelText = "median to p95 of total",
                MarkerShape = MarkerShape.VerticalBar,
                MarkerColor = Colors.Black,
                MarkerLineWidth = 2,
                MarkerSize = 10,
            }
        );
        FigureLayout.ShowLegendBelow(plot);

        // 0.3 in per bar plus room for the title, the axis and a legend row.
        var height = 1.3 + 0.3 * (1 - lowest);
        return new Figure("phases", plot, FigureStyle.DoubleColumnInches, height);
    }
}
