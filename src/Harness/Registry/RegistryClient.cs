using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Registry;

/// <summary>
/// Client of one registry's distribution API (OCI distribution specification v1.0): blob
/// existence, monolithic, chunked and mounted uploads, and manifest get and put. It speaks
/// plain HTTP to loopback registries and HTTPS to every other one, and authenticates as the
/// registry demands (anonymous, Basic, or bearer tokens). Safe for concurrent use.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    // Registries limit manifests to 4 MiB (distribution's default); a bigger body is an error.
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    // Error bodies are read up to this size for the message; the rest is dropped.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly HttpClient httpClient;
    private readonly RegistryAuthenticator authenticator;
    private readonly RegistryClientOptions options;
    private readonly ILogger logger;

    /// <summary>Creates a client for a registry name such as <c>127.0.0.1:5000</c> or
    /// <c>docker.io</c>.</summary>
    public RegistryClient(
        string registry,
        RegistryClientOptions? options = null,
        ILogger? logger = null
    )
    {
        this.options = options ?? new RegistryClientOptions();
        if (this.options.ChunkSize <= 0)
        {
            throw new HarnessException(
                $"Registry upload chunk size {this.options.ChunkSize} is invalid; expected a "
                    + "positive number of bytes."
            );
        }

        Registry = RegistryHosts.Normalize(registry);
        BaseUri = RegistryHosts.GetApiBaseUri(Registry);
        this.logger = logger ?? NullLogger.Instance;

        var handler = new SocketsHttpHandler
        {
            // Blob reads may be redirected to storage; .NET drops Authorization on redirect.
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        httpClient = new HttpClient(handler) { Timeout = this.options.RequestTimeout };
        httpClient.DefaultRequestHeaders.UserAgent.ParseAdd(this.options.UserAgent);

        var credentials = this.options.Credentials ?? new LazyDockerConfigSource();
        authenticator = new RegistryAuthenticator(httpClient, Registry, credentials, this.logger);
    }

    /// <summary>Normalized registry name this client talks to.</summary>
    public string Registry { get; }

    /// <summary>Base URI of the registry's API.</summary>
    public Uri BaseUri { get; }

    /// <summary>Upload chunk size in bytes, from the options.</summary>
    public long ChunkSize => options.ChunkSize;

    /// <summary>Number of bearer tokens fetched so far (tokens are cached per scope).</summary>
    public int TokensFetched => authenticator.TokensFetched;

    /// <summary>Releases the HTTP connections.</summary>
    public void Dispose() => httpClient.Dispose();

    private Uri ApiUri(string relative) => new(BaseUri, relative);

    /// <summary>Sends a request built by <paramref name="createRequest"/>. After one
    /// authentication challenge, it builds and sends the request again.</summary>
    // NOTE: a large body sent before any challenge is known may fail when the server responds
    // 401 without reading it, because Go's net/http drains at most 256 KiB of an unread body
    // and then closes the connection. Uploads meet the challenge on a bodyless HEAD or POST
    // first, and manifests are small, so only an unusual call order reaches this case.
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest,
        IReadOnlyList<string> scopes,
        string operation,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead
    )
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = createRequest();
            request.Headers.Authorization = await authenticator.GetAuthorizationAsync(
                scopes,
                cancellationToken
            );
            var sentAuthorization = request.Headers.Authorization;

            var response = await SendOnceAsync(request, operation, completion, cancellationToken);
            logger.LogDebug(
                "{Method} {Path} -> {Status}",
                request.Method,
                request.RequestUri!.AbsolutePath,
                (int)response.StatusCode
            );
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            var retry = await authenticator.HandleChallengeAsync(
                response,
                scopes,
                sentAuthorization,
                cancellationToken
            );
            if (!retry)
            {
                return response;
            }

            response.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpRequestMessage request,
        string operation,
        HttpCompletionOption completion,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await httpClient.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new RegistryException(
                operation,
                request.Method.Method,
                request.RequestUri!.AbsolutePath,
                null,
                [],
                $"check that the registry {Registry} is running and reachable at {BaseUri} "
                    + $"({exception.Message}).",
                innerException: exception
            );
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(
                operation,
                request.Method.Method,
                request.RequestUri!.AbsolutePath,
                null,
                [],
                $"the request timed out after {options.RequestTimeout.TotalSeconds:0} s; check "
                    + "the registry and the link, or raise the request timeout.",
                innerException: exception
            );
        }
    }

    /// <summary>Throws <see cref="RegistryException"/> unless the response has one of the
    /// expected status codes.</summary>
    private async Task EnsureStatusAsync(
        HttpResponseMessage response,
        string operation,
        CancellationToken cancellationToken,
        params HttpStatusCode[] expected
    )
    {
        if (expected.Contains(response.StatusCode))
        {
            return;
        }

        throw await CreateExceptionAsync(response, operation, cancellationToken);
    }

    private async Task<RegistryException> CreateExceptionAsync(
        HttpResponseMessage response,
        string operation,
        CancellationToken cancellationToken
    )
    {
        var body = await ReadLimitedStringAsync(response, cancellationToken);
        var errors = RegistryErrorParser.Parse(body);
        var request = response.RequestMessage!;
        return new RegistryException(
            operation,
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            response.StatusCode,
            errors,
            RegistryErrorParser.SuggestNextStep(response.StatusCode, errors, Registry),
            RegistryErrorParser.DescribeUnparsedBody(body, errors)
        );
    }

    private static async Task<string> ReadLimitedStringAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string? ReadDigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            ? values.FirstOrDefault()
            : null;
}
