using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Harness.Tests.Images;

/// <summary>
/// A slow test that builds real images with debootstrap, apt-get and strace from Debian's
/// mirror. It is skipped without root, without those tools, or when the mirror's name does
/// not resolve. Set HARNESS_OFFLINE=1 to skip it on purpose.
/// </summary>
public sealed class DebootstrapFactAttribute : FactAttribute
{
    public DebootstrapFactAttribute()
    {
        // The first build runs debootstrap and apt-get, a few minutes on a good link, and later
        // ones come from the cache.
        Timeout = 30 * 60 * 1000;
        Skip = FindSkipReason();
    }

    private static string? FindSkipReason()
    {
        if (Environment.GetEnvironmentVariable("HARNESS_OFFLINE") is "1" or "true")
        {
            return "HARNESS_OFFLINE is set.";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "Needs root for debootstrap, chroot and mounts.";
        }

        foreach (
            var (program, package) in new[]
            {
                ("/usr/sbin/debootstrap", "debootstrap"),
                ("/usr/bin/strace", "strace"),
            }
        )
        {
            if (!File.Exists(program))
            {
                return $"{program} is missing; install it with 'apt-get install {package}'.";
            }
        }

        try
        {
            Dns.GetHostAddresses("deb.debian.org");
        }
        catch (SocketException exception)
        {
            return $"deb.debian.org does not resolve ({exception.SocketErrorCode}); offline.";
        }

        return null;
    }
}
