using System.Xml.Linq;
using Harness.Reporting;
using Harness.Statistics;
using SkiaSharp;
using Xunit;

namespace Harness.Tests.Reporting;

/// <summary>
/// Renders the figures of Fixtures/Statistics/two-variants.csv: workload hello with overlayfs
/// and estargz, and workload solo with one estargz-noopt sample.
/// </summary>
public sealed class FigureRendererTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private async Task<IReadOnlyList<string>> RenderAsync(params FigureFormat[] formats)
    {
        var samples = SampleCsvReader.Read(
            Path.Combine("Fixtures", "Statistics", "two-variants.csv")
        );
        var summary = new SummaryCalculator().Summarize(samples);
        return await new FigureRenderer().RenderAsync(
            samples,
            summary,
            folder.Path,
            formats,
            CancellationToken.None
        );
    }

    [FontFact]
    public async Task RendererWritesEveryFigure()
    {
        var written = await RenderAsync(FigureFormat.Png, FigureFormat.Svg);

        var names = written.Select(Path.GetFileName).Order().ToList();
        Assert.Equal(
            [
                "cdf-hello.png",
                "cdf-hello.svg",
                "cdf-solo.png",
                "cdf-solo.svg",
                "phases.png",
                "phases.svg",
                "timeline.png",
                "timeline.svg",
            ],
            names
        );
        Assert.All(written, path => Assert.True(File.Exists(path), path));
    }

    [FontFact]
    public async Task PngHasPrintSize()
    {
        await RenderAsync(FigureFormat.Png);

        using var cdf = SKBitmap.Decode(folder.File("cdf-hello.png"));
        using var phases = SKBitmap.Decode(folder.File("phases.png"));

        // CDF: one column, 3.5 in x 2.7 in at 300 dpi.
        Assert.NotNull(cdf);
        Assert.Equal(1050, cdf.Width);
        Assert.Equal(810, cdf.Height);

        // Phases: two columns, 7 in wide. Rows at 0 and -1 (hello), then half a row of space
        // and -2.5 (solo), so the height is 1.3 in + 0.3 in x 3.5 rows = 2.35 in.
        Assert.NotNull(phases);
        Assert.Equal(2100, phases.Width);
        Assert.Equal(705, phases.Height);
    }

    [FontFact]
    public async Task PngIsNotBlank()
    {
        await RenderAsync(FigureFormat.Png);

        using var bitmap = SKBitmap.Decode(folder.File("phases.png"));
        var colours = new HashSet<SKColor>();
        for (var x = 0; x < bitmap.Width; x += 7)
        {
            for (var y = 0; y < bitmap.Height; y += 7)
            {
                colours.Add(bitmap.GetPixel(x, y));
            }
        }

        // White background, black text and five phase colours at least.
        Assert.True(colours.Count >= 7, $"only {colours.Count} colours");
        Assert.Contains(new SKColor(0x44, 0x77, 0xAA), colours);
    }

    [FontFact]
    public async Task SvgIsWellFormedWithLabels()
    {
        await RenderAsync(FigureFormat.Svg);

        var cdf = XDocument.Load(folder.File("cdf-hello.svg"));
        var phases = XDocument.Load(folder.File("phases.svg"));
        var cdfText = string.Concat(cdf.Descendants().Select(element => element.Value));
        var phasesText = string.Concat(phases.Descendants().Select(element => element.Value));

        Assert.Equal("3.5in", cdf.Root!.Attribute("width")!.Value);
        Assert.Equal("7in", phases.Root!.Attribute("width")!.Value);
        Assert.Contains("Total time (ms)", cdfText);
        Assert.Contains("Fraction of cold starts", cdfText);
        Assert.Contains("overlayfs", cdfText);
        Assert.Contains("Time (ms)", phasesText);
        Assert.Contains("first response", phasesText);
        Assert.Contains("hello/estargz", phasesText);
    }

    [FontFact]
    public async Task LongTotalsUseSeconds()
    {
        var samples = SampleCsvReader
            .Read(Path.Combine("Fixtures", "Statistics", "two-variants.csv"))
            .Select(sample => sample with { TotalMs = sample.TotalMs * 10 })
            .ToList();
        var summary = new SummaryCalculator().Summarize(samples);

        await new FigureRenderer().RenderAsync(
            samples,
            summary,
            folder.Path,
            [FigureFormat.Svg],
            CancellationToken.None
        );
        var text = string.Concat(
            XDocument
                .Load(folder.File("cdf-hello.svg"))
                .Descendants()
                .Select(element => element.Value)
        );

        // The hello totals now reach 14000 ms, past the 2 s switch to seconds.
        Assert.Contains("Total time (s)", text);
    }

    [Fact]
    public void FormatsParseFromCommaList()
    {
        Assert.Equal([FigureFormat.Png, FigureFormat.Svg], RunReport.ParseFormats("png, SVG"));
        Assert.Equal([FigureFormat.Svg], RunReport.ParseFormats("svg,svg"));
        Assert.Throws<HarnessException>(() => RunReport.ParseFormats("pdf"));
        Assert.Throws<HarnessException>(() => RunReport.ParseFormats(","));
    }

    [Fact]
    public void VariantColoursAreFixed()
    {
        Assert.Equal("#0072B2", FigureStyle.VariantColor("overlayfs").ToHex());
        Assert.Equal("#E69F00", FigureStyle.VariantColor("estargz-noopt").ToHex());
        Assert.Equal("#009E73", FigureStyle.VariantColor("estargz").ToHex());
        Assert.Equal(
            FigureStyle.VariantColor("other").ToHex(),
            FigureStyle.VariantColor("other").ToHex()
        );
    }
}
