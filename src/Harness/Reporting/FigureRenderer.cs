using System.Globalization;
using System.Xml.Linq;
using Harness.Measurement;
using Harness.Statistics;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// Draws the figures of a run from its samples and summary: stacked phase bars
/// (<c>phases</c>), one CDF of the total per workload (<c>cdf-&lt;workload&gt;</c>) and a
/// per-sample timeline (<c>timeline</c>), each as PNG and/or SVG. Rendering needs no display.
/// </summary>
public sealed class FigureRenderer
{
    private readonly string fontFamily = FigureStyle.ResolveFontFamily();

    /// <summary>Writes every figure into <paramref name="folder"/> and returns the paths
    /// written. Each file is replaced atomically.</summary>
    public async Task<IReadOnlyList<string>> RenderAsync(
        IReadOnlyList<ColdStartSample> samples,
        RunSummary summary,
        string folder,
        IReadOnlyCollection<FigureFormat> formats,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(folder);
        var figures = new List<Figure>();
        if (PhaseBarsFigure.Build(summary) is { } phases)
        {
            figures.Add(phases);
        }

        figures.AddRange(CdfFigure.BuildAll(samples));
        if (TimelineFigure.Build(samples) is { } timeline)
        {
            figures.Add(timeline);
        }

        var written = new List<string>();
        foreach (var figure in figures)
        {
            FigureLayout.Apply(figure.Plot, fontFamily);
            foreach (var format in formats.Distinct())
            {
                cancellationToken.ThrowIfCancellationRequested();
                written.Add(await SaveAsync(figure, folder, format, cancellationToken));
            }
        }

        return written;
    }

    private static async Task<string> SaveAsync(
        Figure figure,
        string folder,
        FigureFormat format,
        CancellationToken cancellationToken
    )
    {
        var layoutWidth = (int)Math.Round(figure.WidthInches * FigureStyle.LayoutUnitsPerInch);
        var layoutHeight = (int)Math.Round(figure.HeightInches * FigureStyle.LayoutUnitsPerInch);
        switch (format)
        {
            case FigureFormat.Png:
            {
                // Lay out at 100 units per inch, then scale every line and font to 300 dpi.
                var scale = (double)FigureStyle.PixelsPerInch / FigureStyle.LayoutUnitsPerInch;
                figure.Plot.ScaleFactor = scale;
                var bytes = figure.Plot.GetImageBytes(
                    (int)(layoutWidth * scale),
                    (int)(layoutHeight * scale),
                    ImageFormat.Png
                );
                var path = Path.Combine(folder, figure.Name + ".png");
                await AtomicFile.WriteBytesAsync(path, bytes, cancellationToken);
                return path;
            }

            case FigureFormat.Svg:
            {
                figure.Plot.ScaleFactor = 1;
                var svg = SetPrintedSize(
                    figure.Plot.GetSvgXml(layoutWidth, layoutHeight),
                    figure,
                    layoutWidth,
                    layoutHeight
                );
                var path = Path.Combine(folder, figure.Name + ".svg");
                await AtomicFile.WriteTextAsync(path, svg, cancellationToken);
                return path;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    /// <summary>Gives the SVG its printed size in inches, keeping the layout units as the
    /// view box, so it drops into a paper at column width.</summary>
    private static string SetPrintedSize(string svg, Figure figure, int width, int height)
    {
        var document = XDocument.Parse(svg);
        var root = document.Root!;
        var invariant = CultureInfo.InvariantCulture;
        root.SetAttributeValue("width", figure.WidthInches.ToString("0.###", invariant) + "in");
        root.SetAttributeValue("height", figure.HeightInches.ToString("0.###", invariant) + "in");
        root.SetAttributeValue("viewBox", $"0 0 {width} {height}");
        return document.Declaration + Environment.NewLine + root;
    }
}
