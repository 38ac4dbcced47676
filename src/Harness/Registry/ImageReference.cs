using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Harness.Registry;

/// <summary>
/// A parsed image reference, <c>host[:port]/repo/path[:tag][@sha256:...]</c>, following the
/// grammar of the distribution project's reference package with Docker Hub defaults: no host
/// means <c>docker.io</c>, and a one-component Docker Hub name gains the <c>library/</c> prefix.
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>Max length of registry plus repository, as the reference grammar allows.</summary>
    public const int MaxNameLength = 255;

    private const string DockerHubLibrary = "library/";

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry name, such as <c>docker.io</c> or <c>127.0.0.1:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>Repository path inside the registry, such as <c>library/alpine</c>.</summary>
    public string Repository { get; }

    /// <summary>Tag, or null when the reference names none.</summary>
    public string? Tag { get; }

    /// <summary>Manifest digest (<c>algorithm:hex</c>), or null when the reference names none.
    /// </summary>
    public string? Digest { get; }

    /// <summary>Tag or digest to use in a manifest URL: the digest when present, else the tag,
    /// else <c>latest</c> as Docker does.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>Base URI of the registry's HTTP API (plain HTTP only on loopback).</summary>
    public Uri ApiBaseUri => RegistryHosts.GetApiBaseUri(Registry);

    /// <summary>Parses a reference, throwing <see cref="HarnessException"/> with the reason
    /// when it is invalid.</summary>
    public static ImageReference Parse(string reference)
    {
        if (TryParse(reference, out var result, out var error))
        {
            return result;
        }

        throw new HarnessException(error);
    }

    /// <summary>Parses a reference, returning false and a message naming the fault when it is
    /// invalid.</summary>
    public static bool TryParse(
        string reference,
        [NotNullWhen(true)] out ImageReference? result,
        [NotNullWhen(false)] out string? error
    )
    {
        var fault = Validate(reference, out result);
        error = result is null ? $"Invalid image reference '{reference}': {fault}" : null;
        return result is not null;
    }

    /// <summary>Returns a copy with another tag.</summary>
    public ImageReference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag))
        {
            throw new HarnessException(
                $"Invalid tag '{tag}': expected up to 128 letters, digits, '_', '.' or '-', "
                    + "not starting with '.' or '-'."
            );
        }

        return new ImageReference(Registry, Repository, tag, Digest);
    }

    /// <summary>Returns a copy that names a manifest digest instead of (or besides) a tag.
    /// </summary>
    public ImageReference WithDigest(string digest)
    {
        var fault = ContentDigest.Validate(digest);
        if (fault is not null)
        {
            throw new HarnessException($"Invalid digest '{digest}': {fault}");
        }

        return new ImageReference(Registry, Repository, Tag, digest);
    }

    /// <summary>Formats the reference in full: <c>registry/repository[:tag][@digest]</c>.
    /// </summary>
    public override string ToString()
    {
        var text = $"{Registry}/{Repository}";
        if (Tag is not null)
        {
            text += $":{Tag}";
        }

        if (Digest is not null)
        {
            text += $"@{Digest}";
        }

        return text;
    }

    private static string? Validate(string reference, out ImageReference? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(reference))
        {
            return "the reference is empty; expected host[:port]/repository[:tag][@digest].";
        }

        if (reference.Contains("://", StringComparison.Ordinal))
        {
            return "a reference has no URL scheme; drop the 'http://' or 'https://' prefix.";
        }

        if (reference.Any(char.IsWhiteSpace))
        {
            return "the reference contains white space.";
        }

        // The digest follows the only '@'.
        var name = reference;
        string? digest = null;
        var at = reference.IndexOf('@');
        if (at >= 0)
        {
            name = reference[..at];
            digest = reference[(at + 1)..];
            var fault = ContentDigest.Validate(digest);
            if (fault is not null)
            {
                return $"digest '{digest}' is invalid: {fault}";
            }
        }

        // A tag follows a ':' that comes after the last '/', so 'host:5000/repo' has none.
        string? tag = null;
        var lastColon = name.LastIndexOf(':');
        if (lastColon > name.LastIndexOf('/'))
        {
            tag = name[(lastColon + 1)..];
            name = name[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                return $"tag '{tag}' is invalid; expected up to 128 letters, digits, '_', '.' "
                    + "or '-', not starting with '.' or '-'.";
            }
        }

        var (registry, repository) = SplitRegistry(name);
        if (registry.Length == 0 || !RegistryPattern().IsMatch(registry))
        {
            return $"registry '{registry}' is invalid; expected a host name or IP address "
                + "with an optional :port, such as 127.0.0.1:5000.";
        }

        var componentFault = ValidateRepository(repository);
        if (componentFault is not null)
        {
            return componentFault;
        }

        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            return $"the name is {registry.Length + 1 + repository.Length} characters long; "
                + $"the maximum is {MaxNameLength}.";
        }

        parsed = new ImageReference(registry, repository, tag, digest);
        return null;
    }

    private static (string Registry, string Repository) SplitRegistry(string name)
    {
        // The first component is a host when it has a '.' or ':' or is 'localhost'. Current
        // Docker clients also take a component with an upper-case letter as a host, because
        // repository paths are lower case. Any other first component belongs to Docker Hub.
        var slash = name.IndexOf('/');
        if (slash >= 0)
        {
            var first = name[..slash];
            var isHost =
                first.Contains('.')
                || first.Contains(':')
                || first == "localhost"
                || first.Any(char.IsUpper);
            if (isHost)
            {
                var registry = RegistryHosts.Normalize(first);
                var path = name[(slash + 1)..];
                if (registry == RegistryHosts.DockerHub && !path.Contains('/'))
                {
                    path = DockerHubLibrary + path;
                }

                return (registry, path);
            }
        }

        var repository = slash < 0 ? DockerHubLibrary + name : name;
        return (RegistryHosts.DockerHub, repository);
    }

    private static string? ValidateRepository(string repository)
    {
        if (repository.Length == 0)
        {
            return "the repository name is empty.";
        }

        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0)
            {
                return $"repository '{repository}' has an empty path component; "
                    + "remove the doubled or trailing '/'.";
            }

            if (!PathComponentPattern().IsMatch(component))
            {
                return $"repository path component '{component}' is invalid; expected lower-case "
                    + "letters and digits, separated by '.', '_', '__' or dashes.";
            }
        }

        return null;
    }

    // Reference grammar (distribution 2.8, reference/regexp.go): path-component :=
    // [a-z0-9]+ (separator [a-z0-9]+)* with separator := [_.] | __ | [-]*. Writing the dash
    // run as -+ accepts the same names.
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    // tag := [\w][\w.-]{0,127}, ASCII only.
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    // domain := domain-component ('.' domain-component)* (':' port)?, or a bracketed IPv6
    // address with an optional port.
    [GeneratedRegex(
        @"^(?:(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
            + @"(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*"
            + @"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$"
    )]
    private static partial Regex RegistryPattern();
}
