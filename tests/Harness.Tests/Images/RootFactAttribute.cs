using Xunit;

namespace Harness.Tests.Images;

/// <summary>A test that needs root (device files, chroot, mounts), skipped otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "Needs root: run the tests as root or with sudo.";
        }
    }
}
