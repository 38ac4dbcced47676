using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

/// <summary>A fact that is skipped when no font the figures can use is installed.</summary>
public sealed class FontFactAttribute : FactAttribute
{
    public FontFactAttribute()
    {
        try
        {
            FigureStyle.ResolveFontFamily();
        }
        catch (HarnessException)
        {
            Skip = "No usable font is installed; install the Debian package fonts-dejavu-core.";
        }
    }
}
