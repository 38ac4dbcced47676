using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Harness.Registry;

/// <summary>
/// Chooses the <c>Authorization</c> header for registry requests: none until the registry
/// challenges, then Basic credentials or a bearer token from the token server named by the
/// challenge (the distribution project's token authentication specification). Tokens are
/// cached per set of scopes until shortly before they expire. Secrets are never logged.
/// </summary>
internal sealed class RegistryAuthenticator
{
    // Tokens without expires_in live 60 s (token specification). They are renewed this early
    // so that a long upload body does not start with a token about to expire.
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromSeconds(15);

    private readonly HttpClient httpClient;
    private readonly string registry;
    private readonly IRegistryCredentialSource credentialSource;
    private readonly ILogger logger;
    private readonly Dictionary<string, BearerToken> tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim tokenLock = new(1, 1);
    private readonly Lazy<RegistryCredentials?> credentials;
    private AuthenticationChallenge? challenge;

    public RegistryAuthenticator(
        HttpClient httpClient,
        string registry,
        IRegistryCredentialSource credentialSource,
        ILogger logger
    )
    {
        this.httpClient = httpClient;
        this.registry = registry;
        this.credentialSource = credentialSource;
        this.logger = logger;
        credentials = new Lazy<RegistryCredentials?>(() =>
            this.credentialSource.GetCredentials(this.registry)
        );
    }

    /// <summary>Number of tokens fetched from the token server so far.</summary>
    public int TokensFetched { get; private set; }

    /// <summary>Returns the header for a request needing <paramref name="scopes"/>, fetching a
    /// token when the registry is known to want one; null before any challenge.</summary>
    public async Task<AuthenticationHeaderValue?> GetAuthorizationAsync(
        IReadOnlyList<string> scopes,
        CancellationToken cancellationToken
    )
    {
        var known = Volatile.Read(ref challenge);
        if (known is null)
        {
            return null;
        }

        if (IsBasic(known))
        {
            return CreateBasicHeader();
        }

        var token = await GetTokenAsync(known, scopes, rejectedToken: null, cancellationToken);
        return new AuthenticationHeaderValue("Bearer", token.Value);
    }

    /// <summary>Reads a 401 response's challenges and prepares new authorization, given the
    /// header the rejected request carried. Returns true when sending the request again may
    /// succeed.</summary>
    public async Task<bool> HandleChallengeAsync(
        HttpResponseMessage response,
        IReadOnlyList<string> scopes,
        AuthenticationHeaderValue? sentAuthorization,
        CancellationToken cancellationToken
    )
    {
        var challenges = AuthenticationChallenge.FromHeaders(response.Headers.WwwAuthenticate);
        var bearer = challenges.FirstOrDefault(item =>
            item.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            && item["realm"] is not null
        );
        var basic = challenges.FirstOrDefault(IsBasic);

        if (bearer is not null)
        {
            Volatile.Write(ref challenge, bearer);
            logger.LogDebug(
                "Registry {Registry} requests a bearer token from {Realm} (scope {Scope})",
                registry,
                bearer["realm"],
                bearer["scope"] ?? "none"
            );

            // The challenge's own scope may name more than the caller knew (a mount source).
            var requested = RegistryScopes.Merge(scopes.Append(bearer["scope"] ?? ""));
            var rejected =
                sentAuthorization?.Scheme == "Bearer" ? sentAuthorization.Parameter : null;
            var token = await GetTokenAsync(bearer, requested, rejected, cancellationToken);
            var callerKey = RegistryScopes.Key(RegistryScopes.Merge(scopes));
            if (callerKey != RegistryScopes.Key(requested))
            {
                // Cache the token under the caller's key too, so the retry finds it.
                await tokenLock.WaitAsync(cancellationToken);
                try
                {
                    tokens[callerKey] = token;
                }
                finally
                {
                    tokenLock.Release();
                }
            }

            return true;
        }

        if (basic is not null)
        {
            Volatile.Write(ref challenge, basic);
            var alreadySentBasic = sentAuthorization?.Scheme == "Basic";
            return !alreadySentBasic && credentials.Value is not null;
        }

        return false;
    }

    private static bool IsBasic(AuthenticationChallenge item) =>
        item.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    private AuthenticationHeaderValue? CreateBasicHeader()
    {
        var user = credentials.Value;
        if (user is null)
        {
            return null;
        }

        var raw = Encoding.UTF8.GetBytes($"{user.Username}:{user.Password}");
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
    }

    private async Task<BearerToken> GetTokenAsync(
        AuthenticationChallenge bearer,
        IReadOnlyList<string> scopes,
        string? rejectedToken,
        CancellationToken cancellationToken
    )
    {
        var canonical = RegistryScopes.Merge(scopes);
        var key = RegistryScopes.Key(canonical);
        await tokenLock.WaitAsync(cancellationToken);
        try
        {
            // A cached token is reused unless the registry has just rejected it. Requests
            // challenged at the same time thus share the first one's new token.
            if (
                tokens.TryGetValue(key, out var cached)
                && cached.RenewAfter > DateTimeOffset.UtcNow
                && cached.Value != rejectedToken
            )
            {
                return cached;
            }

            var token = await FetchTokenAsync(bearer, canonical, cancellationToken);
            tokens[key] = token;
            return token;
        }
        finally
        {
            tokenLock.Release();
        }
    }

    private async Task<BearerToken> FetchTokenAsync(
        AuthenticationChallenge bearer,
        IReadOnlyList<string> scopes,
        CancellationToken cancellationToken
    )
    {
        var realm = bearer["realm"]!;
        if (
            !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri)
            || (realmUri.Scheme != Uri.UriSchemeHttps && realmUri.Scheme != Uri.UriSchemeHttp)
        )
        {
            throw new HarnessException(
                $"Registry {registry} named the token server '{realm}', which is not an "
                    + "absolute http or https URL. Check the registry's auth configuration."
            );
        }

        var query = new List<string>();
        if (bearer["service"] is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.AddRange(scopes.Select(scope => "scope=" + Uri.EscapeDataString(scope)));
        var builder = new UriBuilder(realmUri) { UserName = "", Password = "" };
        var existing = builder.Query.TrimStart('?');
        builder.Query = string.Join('&', query.Prepend(existing).Where(part => part.Length > 0));

        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        request.Headers.Accept.ParseAdd("application/json");
        var user = credentials.Value;
        if (user is not null)
        {
            // Credentials travel only over TLS, or to a server on this machine.
            if (
                realmUri.Scheme != Uri.UriSchemeHttps
                && !RegistryHosts.IsLoopback(realmUri.Authority)
            )
            {
                throw new HarnessException(
                    $"The token server {realmUri.GetLeftPart(UriPartial.Path)} of registry "
                        + $"{registry} uses plain HTTP on another host, and the harness sends "
                        + "credentials only over HTTPS or to loopback. Configure the registry's "
                        + "token realm with an https URL."
                );
            }

            request.Headers.Authorization = CreateBasicHeader();
        }

        var operation = $"get a token for {string.Join(' ', scopes)}";
        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new RegistryException(
                operation,
                "GET",
                realmUri.AbsolutePath,
                null,
                [],
                $"check that the token server {realmUri.Authority} is running and reachable "
                    + $"({exception.Message}).",
                innerException: exception
            );
        }

        using (response)
        {
            // A token response is small; the body of a failure is kept for the message only.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var errors = RegistryErrorParser.Parse(body);
                var nextStep =
                    response.StatusCode == HttpStatusCode.Unauthorized
                        ? $"log in with 'docker login {registry}', or check the credentials "
                            + "stored in the Docker config file; the token server rejected them."
                        : RegistryErrorParser.SuggestNextStep(
                            response.StatusCode,
                            errors,
                            registry
                        );
                throw new RegistryException(
                    operation,
                    "GET",
                    realmUri.AbsolutePath,
                    response.StatusCode,
                    errors,
                    nextStep,
                    RegistryErrorParser.DescribeUnparsedBody(body, errors)
                );
            }

            TokensFetched++;
            var token = ParseToken(body, realmUri);
            logger.LogDebug(
                "Got a token for {Scopes} from {Realm}, renewed after {RenewAfter:O}",
                string.Join(' ', scopes),
                realmUri.GetLeftPart(UriPartial.Path),
                token.RenewAfter
            );
            return token;
        }
    }

    private static BearerToken ParseToken(string body, Uri realmUri)
    {
        string? value = null;
        var lifetime = DefaultTokenLifetime;
        var issuedAt = DateTimeOffset.UtcNow;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                value = ReadString(root, "token") ?? ReadString(root, "access_token");
                if (
                    root.TryGetProperty("expires_in", out var expires)
                    && expires.ValueKind == JsonValueKind.Number
                    && expires.TryGetInt32(out var seconds)
                    && seconds > 0
                )
                {
                    lifetime = TimeSpan.FromSeconds(seconds);
                }
            }
        }
        catch (JsonException)
        {
            // Reported below without quoting the body, which may hold a token.
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new HarnessException(
                $"The token server {realmUri.GetLeftPart(UriPartial.Path)} answered without a "
                    + "'token' or 'access_token' in a JSON object. Check that the registry's "
                    + "token realm points at a token server."
            );
        }

        // Short-lived tokens are renewed at half their lifetime instead of the fixed margin.
        var margin = lifetime > RenewalMargin * 2 ? RenewalMargin : lifetime / 2;
        return new BearerToken(value, issuedAt + lifetime - margin);
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
