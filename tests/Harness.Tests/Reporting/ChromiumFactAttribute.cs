using Harness.Tests.Infrastructure;
using Xunit;

namespace Harness.Tests.Reporting;

/// <summary>A fact that is skipped, with the reason, when Chromium is not on PATH.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!ProgramsOnPath.Contains(HeadlessChromium.Program))
        {
            Skip =
                "needs chromium on PATH to render the report; install the Debian package "
                + "chromium, as .ci/run does.";
        }
    }
}
