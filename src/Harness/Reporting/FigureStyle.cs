using Harness.Images;
using Harness.Measurement;
using ScottPlot;
using SkiaSharp;

namespace Harness.Reporting;

/// <summary>
/// Sizes, fonts and colours shared by every figure, so a variant or a phase has the same
/// colour in every figure of every run.
/// </summary>
public static class FigureStyle
{
    /// <summary>Width of one column of an IEEE two-column paper, in inches.</summary>
    public const double SingleColumnInches = 3.5;

    /// <summary>Width of a figure spanning both columns, in inches.</summary>
    public const double DoubleColumnInches = 7.0;

    /// <summary>Resolution of PNG files in dots per inch, a common minimum for print.</summary>
    public const int PixelsPerInch = 300;

    /// <summary>Layout units per inch: ScottPlot lays out in pixels, so a figure is laid out
    /// at this density and scaled up for PNG. A 10-unit font prints at 7.2 pt.</summary>
    public const int LayoutUnitsPerInch = 100;

    /// <summary>Font families tried in order. DejaVu Sans comes with Debian's
    /// fonts-dejavu-core package.</summary>
    public static IReadOnlyList<string> FontFamilies { get; } =
    ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans"];

    public const float TitleSize = 12;
    public const float AxisLabelSize = 11;
    public const float TickLabelSize = 10;
    public const float LegendSize = 10;

    // Okabe-Ito colours, distinguishable with the common forms of colour blindness.
    private static readonly Dictionary<string, Color> VariantColors = new()
    {
        [ImageVariantNames.Overlayfs] = Color.FromHex("#0072B2"),
        [ImageVariantNames.EStargzNoopt] = Color.FromHex("#E69F00"),
        [ImageVariantNames.EStargz] = Color.FromHex("#009E73"),
    };

    private static readonly Color[] ExtraVariantColors =
    [
        Color.FromHex("#CC79A7"),
        Color.FromHex("#D55E00"),
        Color.FromHex("#56B4E9"),
    ];

    // Paul Tol's "bright" scheme, also colour-blind safe and distinct from the variants.
    private static readonly Dictionary<string, Color> PhaseColors = new()
    {
        [Phase.Pull] = Color.FromHex("#4477AA"),
        [Phase.Create] = Color.FromHex("#EE6677"),
        [Phase.Start] = Color.FromHex("#228833"),
        [Phase.Ready] = Color.FromHex("#CCBB44"),
        [Phase.FirstResponse] = Color.FromHex("#AA3377"),
        [Phase.Total] = Color.FromHex("#BBBBBB"),
    };

    /// <summary>Returns the colour of a variant; unknown names get a stable extra colour.
    /// </summary>
    public static Color VariantColor(string variant)
    {
        if (VariantColors.TryGetValue(variant, out var color))
        {
            return color;
        }

        var hash = variant.Aggregate(17, (sum, character) => unchecked(sum * 31 + character));
        return ExtraVariantColors[(hash & int.MaxValue) % ExtraVariantColors.Length];
    }

    /// <summary>Returns the colour of a phase.</summary>
    public static Color PhaseColor(string phase) =>
        PhaseColors.TryGetValue(phase, out var color) ? color : Colors.Gray;

    /// <summary>
    /// Returns the first font family of <see cref="FontFamilies"/> installed on this machine.
    /// Without one, labels would use whatever fallback Skia finds, possibly one without the
    /// glyphs, so this raises an error naming the package to install.
    /// </summary>
    public static string ResolveFontFamily()
    {
        foreach (var family in FontFamilies)
        {
            using var typeface = SKFontManager.Default.MatchFamily(family);
            if (typeface is not null)
            {
                return typeface.FamilyName;
            }
        }

        throw new HarnessException(
            "Cannot draw figures: none of the fonts "
                + string.Join(", ", FontFamilies)
                + " is installed. Install one, for example with "
                + "'apt-get install fonts-dejavu-core', "
                + "then run 'harness plot RESULTS_DIR'."
        );
    }

    /// <summary>Returns a readable label for a phase name, such as "first response".
    /// </summary>
    public static string PhaseLabel(string phase) => phase.Replace('_', ' ');
}
