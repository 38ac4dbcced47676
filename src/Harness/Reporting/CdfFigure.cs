using Harness.Images;
using Harness.Measurement;
using Harness.Statistics;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// Empirical cumulative distribution of the total cold-start time of one workload, one line
/// per variant, sized for a single paper column.
/// </summary>
internal static class CdfFigure
{
    public static IEnumerable<Figure> BuildAll(IReadOnlyList<ColdStartSample> samples)
    {
        var measured = SummaryCalculator
            .Measured(samples)
            .Where(sample => sample.TotalMs is not null)
            .ToList();
        foreach (
            var workload in measured
                .Select(sample => sample.Workload)
                .Distinct()
                .Order(StringComparer.Ordinal)
        )
        {
            yield return Build(workload, measured.Where(sample => sample.Workload == workload));
        }
    }

    private static Figure Build(string workload, IEnumerable<ColdStartSample> samples)
    {
        var byVariant = samples
            .GroupBy(sample => sample.Variant)
            .OrderBy(group => SummaryCalculator.VariantOrder(group.Key))
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group =>
                (
                    Variant: group.Key,
                    Totals: group.Select(sample => sample.TotalMs!.Value).Order().ToArray()
                )
            )
            .ToList();
        var scale = TimeScale.For(byVariant.SelectMany(entry => entry.Totals));

        var plot = new Plot();
        foreach (var (variant, totals) in byVariant)
        {
            // Step function of the empirical CDF: it rises by 1/n at each sorted value. The
            // first point at height 0 draws the rise at the smallest value.
            var xs = new double[totals.Length + 1];
            var ys = new double[totals.Length + 1];
            xs[0] = scale.Convert(totals[0]);
            for (var index = 0; index < totals.Length; index++)
            {
                xs[index + 1] = scale.Convert(totals[index]);
                ys[index + 1] = (index + 1.0) / totals.Length;
            }

            var line = plot.Add.ScatterLine(xs, ys, FigureStyle.VariantColor(variant));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = variant;
        }

        var maxX = byVariant.Max(entry => scale.Convert(entry.Totals[^1]));
        plot.Axes.SetLimitsX(0, maxX * 1.05);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Title($"Total cold start: {workload}");
        plot.XLabel($"Total time ({scale.Unit})");
        plot.YLabel("Fraction of cold starts");
        // Outside the axes, because a curve can pass through any corner inside them.
        FigureLayout.ShowLegendBelow(plot);

        return new Figure(
            $"cdf-{FileNames.Safe(workload)}",
            plot,
            FigureStyle.SingleColumnInches,
            2.7
        );
    }
}
