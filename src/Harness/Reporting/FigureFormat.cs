namespace Harness.Reporting;

/// <summary>Image file formats the figure renderer writes.</summary>
public enum FigureFormat
{
    /// <summary>Raster image at <see cref="FigureStyle.PixelsPerInch"/>.</summary>
    Png,

    /// <summary>Vector image with its size in inches, for papers.</summary>
    Svg,
}
