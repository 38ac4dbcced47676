using Xunit;

namespace Harness.Tests.EStargz;

/// <summary>
/// A test that runs a private containerd and <c>ctr-remote</c>; skipped without root or
/// without Debian's containerd and stargz-snapshotter packages.
/// </summary>
public sealed class CtrRemoteFactAttribute : FactAttribute
{
    public CtrRemoteFactAttribute()
    {
        Skip = MissingReason();
        Timeout = 300_000;
    }

    private static string? MissingReason()
    {
        if (Environment.UserName != "root")
        {
            return "needs root to run containerd.";
        }

        foreach (
            var (program, package) in new[]
            {
                ("containerd", "containerd"),
                ("ctr", "containerd"),
                ("ctr-remote", "stargz-snapshotter"),
            }
        )
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(folder => File.Exists(Path.Combine(folder, program)));
            if (!found)
            {
                return $"{program} is not installed; apt-get install {package}.";
            }
        }

        return null;
    }
}
