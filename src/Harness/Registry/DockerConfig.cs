using System.Text;
using System.Text.Json;

namespace Harness.Registry;

/// <summary>
/// Registry credentials from Docker's client config file (<c>$DOCKER_CONFIG/config.json</c>,
/// else <c>~/.docker/config.json</c>): its <c>auths</c> entries, with either <c>auth</c>
/// (base64 of <c>user:password</c>) or <c>username</c> and <c>password</c>. Credential helpers
/// (<c>credsStore</c>, <c>credHelpers</c>) are not run; asking for credentials that only a
/// helper has raises <see cref="HarnessException"/> saying so.
/// </summary>
public sealed class DockerConfig : IRegistryCredentialSource
{
    private readonly Dictionary<string, AuthEntry> auths;
    private readonly Dictionary<string, string> credentialHelpers;
    private readonly string? credentialStore;

    private DockerConfig(
        string? sourcePath,
        Dictionary<string, AuthEntry> auths,
        Dictionary<string, string> credentialHelpers,
        string? credentialStore
    )
    {
        SourcePath = sourcePath;
        this.auths = auths;
        this.credentialHelpers = credentialHelpers;
        this.credentialStore = credentialStore;
    }

    /// <summary>File the config was read from, or null for an empty config.</summary>
    public string? SourcePath { get; }

    /// <summary>Registry names (normalized, without scheme or path) that have an
    /// <c>auths</c> entry.</summary>
    public IReadOnlyCollection<string> Registries => auths.Keys;

    /// <summary>Path Docker's client reads: <c>$DOCKER_CONFIG/config.json</c>, else
    /// <c>$HOME/.docker/config.json</c>.</summary>
    public static string DefaultPath
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
            if (string.IsNullOrEmpty(folder))
            {
                var home = Environment.GetEnvironmentVariable("HOME");
                if (string.IsNullOrEmpty(home))
                {
                    home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                }

                folder = Path.Combine(home, ".docker");
            }

            return Path.Combine(folder, "config.json");
        }
    }

    /// <summary>An empty config: every registry is used anonymously.</summary>
    public static DockerConfig Empty { get; } = new(null, [], [], null);

    /// <summary>Loads the config from <see cref="DefaultPath"/>, or returns
    /// <see cref="Empty"/> when that file does not exist.</summary>
    public static DockerConfig LoadDefault()
    {
        var path = DefaultPath;
        return File.Exists(path) ? Load(path) : Empty;
    }

    /// <summary>Loads a config file, throwing <see cref="HarnessException"/> when it is
    /// missing or malformed.</summary>
    public static DockerConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException exception)
        {
            throw new HarnessException(
                $"Could not read the Docker config file {path}: {exception.Message}",
                exception
            );
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new HarnessException(
                $"Could not read the Docker config file {path}: {exception.Message} "
                    + "Run as a user who can read it, or set DOCKER_CONFIG to another folder.",
                exception
            );
        }

        return Parse(json, path);
    }

    /// <summary>Parses config JSON; <paramref name="sourcePath"/> is named in errors.</summary>
    public static DockerConfig Parse(string json, string sourcePath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                json,
                new JsonDocumentOptions
                {
                    AllowTrailingCommas = true,
                    CommentHandling = JsonCommentHandling.Skip,
                }
            );
        }
        catch (JsonException exception)
        {
            // Only the position goes into the message, because the parser's own message may
            // quote part of the file, which can contain a password.
            throw new HarnessException(
                $"The Docker config file {sourcePath} is not valid JSON "
                    + $"(line {exception.LineNumber + 1}, "
                    + $"position {exception.BytePositionInLine}). "
                    + "Fix it, or run 'docker login' again to rewrite it.",
                exception
            );
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new HarnessException(
                    $"The Docker config file {sourcePath} holds {root.ValueKind}; expected a "
                        + "JSON object with an 'auths' member."
                );
            }

            var auths = new Dictionary<string, AuthEntry>(StringComparer.OrdinalIgnoreCase);
            if (
                root.TryGetProperty("auths", out var authsElement)
                && authsElement.ValueKind == JsonValueKind.Object
            )
            {
                foreach (var property in authsElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    auths[NormalizeKey(property.Name)] = new AuthEntry(
                        property.Name,
                        ReadString(property.Value, "auth"),
                        ReadString(property.Value, "username"),
                        ReadString(property.Value, "password"),
                        ReadString(property.Value, "identitytoken")
                    );
                }
            }

            var helpers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (
                root.TryGetProperty("credHelpers", out var helpersElement)
                && helpersElement.ValueKind == JsonValueKind.Object
            )
            {
                foreach (var property in helpersElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        helpers[NormalizeKey(property.Name)] = property.Value.GetString()!;
                    }
                }
            }

            var store = ReadString(root, "credsStore");
            return new DockerConfig(
                sourcePath,
                auths,
                helpers,
                string.IsNullOrEmpty(store) ? null : store
            );
        }
    }

    /// <summary>Returns the credentials stored for a registry, or null when there are none.
    /// Throws <see cref="HarnessException"/> when only a credential helper could supply them
    /// or when the entry is malformed; the message never contains the secret.</summary>
    public RegistryCredentials? GetCredentials(string registry)
    {
        var key = NormalizeKey(registry);

        // Docker consults a per-registry helper first, so an inline entry would be stale.
        if (credentialHelpers.TryGetValue(key, out var helper))
        {
            throw HelperNotSupported(registry, helper, "credHelpers");
        }

        if (auths.TryGetValue(key, out var entry))
        {
            var credentials = ReadCredentials(entry);
            if (credentials is not null)
            {
                return credentials;
            }
        }

        if (credentialStore is not null)
        {
            throw HelperNotSupported(registry, credentialStore, "credsStore");
        }

        return null;
    }

    private RegistryCredentials? ReadCredentials(AuthEntry entry)
    {
        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException exception)
            {
                throw new HarnessException(
                    $"The 'auth' value for '{entry.Key}' in {SourcePath} is not valid base64. "
                        + $"Run 'docker login {entry.Key}' again to rewrite it.",
                    exception
                );
            }

            var colon = decoded.IndexOf(':');
            if (colon <= 0)
            {
                throw new HarnessException(
                    $"The 'auth' value for '{entry.Key}' in {SourcePath} does not decode to "
                        + $"user:password. Run 'docker login {entry.Key}' again to rewrite it."
                );
            }

            return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
        }

        if (!string.IsNullOrEmpty(entry.Username) && entry.Password is not null)
        {
            return new RegistryCredentials(entry.Username, entry.Password);
        }

        if (!string.IsNullOrEmpty(entry.IdentityToken))
        {
            throw new HarnessException(
                $"The entry for '{entry.Key}' in {SourcePath} holds an identity token, which "
                    + "the harness does not exchange. Put a username and password (or access "
                    + "token) in that 'auths' entry, or set DOCKER_CONFIG to a folder whose "
                    + "config.json has them."
            );
        }

        return null;
    }

    private HarnessException HelperNotSupported(string registry, string helper, string member)
    {
        return new HarnessException(
            $"The Docker config file {SourcePath} names the credential helper "
                + $"'docker-credential-{helper}' ({member}) for {registry}, and the harness "
                + "does not run credential helpers. Put the credentials in an 'auths' entry "
                + "with 'auth' (base64 of user:password), or set DOCKER_CONFIG to a folder "
                + "whose config.json has one."
        );
    }

    // Keys come as 'host:port', 'https://host/v1/' or 'http://host:port/v2/'; Docker Hub's
    // key is 'https://index.docker.io/v1/'.
    private static string NormalizeKey(string key)
    {
        var host = key.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/');
        if (slash >= 0)
        {
            host = host[..slash];
        }

        return RegistryHosts.Normalize(host.ToLowerInvariant());
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private sealed record AuthEntry(
        string Key,
        string? Auth,
        string? Username,
        string? Password,
        string? IdentityToken
    )
    {
        public override string ToString() => $"AuthEntry {{ Key = {Key} }}";
    }
}
