using Xunit;

namespace Harness.Tests.Network;

/// <summary>A test that needs Debian's docker-registry package; skipped when it is missing.
/// </summary>
public sealed class RegistryInstalledFactAttribute : FactAttribute
{
    /// <summary>Path of the registry program that the docker-registry package installs.
    /// </summary>
    public const string RegistryProgram = "/usr/bin/docker-registry";

    public RegistryInstalledFactAttribute()
    {
        if (!File.Exists(RegistryProgram))
        {
            Skip =
                $"{RegistryProgram} is missing. Install it with: apt-get install docker-registry";
        }
    }
}
