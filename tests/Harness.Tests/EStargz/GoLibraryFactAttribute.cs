using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>A test that needs Debian's Go and stargz-snapshotter library; skipped without
/// them.</summary>
public sealed class GoLibraryFactAttribute : FactAttribute
{
    public GoLibraryFactAttribute()
    {
        Skip = GoEStargzTools.MissingReason;
        Timeout = 300_000;
    }
}
