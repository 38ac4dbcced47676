using ScottPlot;

namespace Harness.Reporting;

/// <summary>Applies the shared fonts and sizes of <see cref="FigureStyle"/> to a plot.</summary>
internal static class FigureLayout
{
    /// <summary>Shows the legend in one horizontal band under the axes, where it cannot hide
    /// data.</summary>
    public static void ShowLegendBelow(Plot plot)
    {
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;
        var panel = plot.ShowLegend(Edge.Bottom);
        panel.Padding = new PixelPadding(0, 0, 2, 2);
    }

    public static void Apply(Plot plot, string fontFamily)
    {
        plot.Font.Set(fontFamily);

        plot.Axes.Title.Label.FontSize = FigureStyle.TitleSize;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontSize = FigureStyle.AxisLabelSize;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontSize = FigureStyle.TickLabelSize;
        }

        plot.Legend.FontSize = FigureStyle.LegendSize;
        plot.Legend.FontName = fontFamily;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.OutlineColor = Colors.Transparent;
        plot.Legend.SymbolWidth = 14;
        plot.Legend.SymbolPadding = 4;
        plot.Legend.InterItemPadding = new PixelPadding(2, 8, 1, 1);
    }
}
