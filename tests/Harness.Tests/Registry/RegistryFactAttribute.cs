namespace Harness.Tests.Registry;

/// <summary>
/// A test that starts Debian's docker-registry; skipped with the reason when the package (or,
/// with <see cref="NeedsHtpasswd"/>, apache2-utils for htpasswd) is not installed.
/// </summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public const string HtpasswdPath = "/usr/bin/htpasswd";

    public RegistryFactAttribute()
    {
        // Every test that starts a registry or a token server is bounded.
        Timeout = 120_000;
        if (!RegistryServer.IsInstalled)
        {
            Skip =
                $"{RegistryServer.ProgramPath} is missing; install it with "
                + "'apt-get install docker-registry'.";
        }
    }

    /// <summary>Also requires htpasswd, for tests of Basic authentication.</summary>
    public bool NeedsHtpasswd
    {
        get => false;
        init
        {
            if (value && Skip is null && !File.Exists(HtpasswdPath))
            {
                Skip =
                    $"{HtpasswdPath} is missing; install it with "
                    + "'apt-get install apache2-utils'.";
            }
        }
    }
}
