using Harness.Native;

namespace Harness.Tests.Infrastructure;

/// <summary>
/// A fact that needs root and the given programs. It is skipped, with the reason, when the
/// tests do not run as root or a program is not on PATH.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(params string[] programs)
    {
        if (LibC.geteuid() != 0)
        {
            Skip =
                "needs root: containerd, FUSE and overlay mounts. Run the tests with sudo, "
                + "as .ci/run does.";
            return;
        }

        var missing = programs.Where(program => !ProgramsOnPath.Contains(program)).ToList();
        if (missing.Count > 0)
        {
            Skip = $"needs {string.Join(", ", missing)} on PATH; .ci/run installs them.";
        }
    }
}
