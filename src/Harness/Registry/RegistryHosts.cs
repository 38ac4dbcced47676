using System.Net;

namespace Harness.Registry;

/// <summary>
/// Maps a registry name from an image reference to the host that serves its HTTP API, and
/// decides between plain HTTP (loopback registries) and HTTPS (every other registry).
/// </summary>
public static class RegistryHosts
{
    /// <summary>Registry name that references without a registry part resolve to.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>Host that serves the distribution API for <see cref="DockerHub"/>.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>Returns the canonical registry name, folding Docker Hub's aliases together.
    /// </summary>
    public static string Normalize(string registry)
    {
        var lower = registry.ToLowerInvariant();
        return lower is "index.docker.io" or "registry-1.docker.io" or DockerHub
            ? DockerHub
            : registry;
    }

    /// <summary>Returns the base URI of the registry's API, such as
    /// <c>http://127.0.0.1:5000/</c> or <c>https://registry-1.docker.io/</c>.</summary>
    public static Uri GetApiBaseUri(string registry)
    {
        var normalized = Normalize(registry);
        var host = normalized == DockerHub ? DockerHubApiHost : normalized;
        var scheme = IsLoopback(host) ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new Uri($"{scheme}://{host}/");
    }

    /// <summary>Tells whether a registry host (with or without a port) is on this machine:
    /// <c>localhost</c>, an address in 127.0.0.0/8, or <c>[::1]</c>.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = StripPort(registry);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            && IPAddress.IsLoopback(address);
    }

    private static string StripPort(string registry)
    {
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']');
            return close < 0 ? registry : registry[..(close + 1)];
        }

        var colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry[..colon];
    }
}
