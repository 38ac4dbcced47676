using System.Buffers.Binary;
using System.Globalization;
using System.Xml;

namespace Harness.Reporting;

/// <summary>A figure file of a run, read for embedding into the HTML report as a data URI.
/// </summary>
/// <param name="Name">File name without extension, such as <c>phases</c>.</param>
/// <param name="FileName">File name inside <c>figures/</c>, such as <c>phases.svg</c>.</param>
/// <param name="MediaType"><c>image/svg+xml</c> or <c>image/png</c>.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="WidthInches">Printed width: the SVG's width in inches, or the PNG's pixel
/// width at <see cref="FigureStyle.PixelsPerInch"/>; null when neither can be read.</param>
public sealed record EmbeddedFigure(
    string Name,
    string FileName,
    string MediaType,
    byte[] Content,
    double? WidthInches
)
{
    /// <summary>The figure as a <c>data:</c> URI (RFC 2397) with base64 content.</summary>
    public string DataUri => $"data:{MediaType};base64,{Convert.ToBase64String(Content)}";

    /// <summary>
    /// Reads the figures in <paramref name="figuresFolder"/>, one per name: the SVG when there
    /// is one, because it stays sharp at any zoom, else the PNG. The order is the one the
    /// renderer draws them in: <c>phases</c>, the CDFs, <c>timeline</c>, then any other name.
    /// Returns an empty list when the folder does not exist.
    /// </summary>
    public static async Task<IReadOnlyList<EmbeddedFigure>> ReadAllAsync(
        string figuresFolder,
        CancellationToken cancellationToken
    )
    {
        if (!Directory.Exists(figuresFolder))
        {
            return [];
        }

        var files = Directory
            .EnumerateFiles(figuresFolder)
            .Select(path => (Path: path, Extension: Path.GetExtension(path).ToLowerInvariant()))
            .Where(file => file.Extension is ".svg" or ".png")
            .GroupBy(file => Path.GetFileNameWithoutExtension(file.Path), StringComparer.Ordinal)
            .Select(group => group.OrderBy(file => file.Extension == ".svg" ? 0 : 1).First())
            .OrderBy(file => Rank(Path.GetFileNameWithoutExtension(file.Path)))
            .ThenBy(file => Path.GetFileName(file.Path), StringComparer.Ordinal)
            .ToList();

        var figures = new List<EmbeddedFigure>();
        foreach (var file in files)
        {
            var content = await File.ReadAllBytesAsync(file.Path, cancellationToken);
            var isSvg = file.Extension == ".svg";
            figures.Add(
                new EmbeddedFigure(
                    Path.GetFileNameWithoutExtension(file.Path),
                    Path.GetFileName(file.Path),
                    isSvg ? "image/svg+xml" : "image/png",
                    content,
                    isSvg ? SvgWidthInches(content) : PngWidthInches(content)
                )
            );
        }

        return figures;
    }

    private static int Rank(string name) =>
        name switch
        {
            "phases" => 0,
            _ when name.StartsWith("cdf-", StringComparison.Ordinal) => 1,
            "timeline" => 2,
            _ => 3,
        };

    private static double? SvgWidthInches(byte[] content)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), settings);
            reader.MoveToContent();
            var width = reader.GetAttribute("width");
            return
                width is not null
                && width.EndsWith("in", StringComparison.Ordinal)
                && double.TryParse(
                    width[..^2],
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var inches
                )
                && inches > 0
                ? inches
                : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static double? PngWidthInches(byte[] content)
    {
        // PNG (ISO/IEC 15948), clause 5.2 and 11.2.2: an 8-byte signature, then the IHDR
        // chunk's 4-byte length and 4-byte type, then the width as a big-endian uint32.
        const int WidthOffset = 16;
        if (content.Length < WidthOffset + 4 || !content.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }

        var pixels = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(WidthOffset, 4));
        return pixels > 0 ? (double)pixels / FigureStyle.PixelsPerInch : null;
    }
}
