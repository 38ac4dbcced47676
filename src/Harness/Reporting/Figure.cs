using ScottPlot;

namespace Harness.Reporting;

/// <summary>A laid-out plot with its file name (without extension) and printed size.</summary>
internal sealed record Figure(string Name, Plot Plot, double WidthInches, double HeightInches);
