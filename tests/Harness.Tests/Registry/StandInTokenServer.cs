using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Harness.Tests.Registry;

/// <summary>
/// A stand-in for a registry token server (distribution's token authentication
/// specification), serving <c>GET /token</c> on 127.0.0.1. It checks Basic credentials and
/// issues RS256 JSON web tokens that carry its self-signed certificate in the <c>x5c</c>
/// header, which the real registry verifies against <see cref="CertificateBundlePath"/>.
/// It grants every requested action to an authenticated user.
/// </summary>
internal sealed class StandInTokenServer : IAsyncDisposable
{
    public const string Issuer = "harness-stand-in-token-issuer";
    public const string Service = "harness-test-registry";

    private readonly HttpListener listener;
    private readonly RSA key;
    private readonly X509Certificate2 certificate;
    private readonly string username;
    private readonly string password;
    private readonly Task serveLoop;

    private StandInTokenServer(
        HttpListener listener,
        int port,
        string folder,
        string username,
        string password
    )
    {
        this.listener = listener;
        this.username = username;
        this.password = password;
        Port = port;

        key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=harness stand-in token issuer",
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddHours(-1),
            DateTimeOffset.UtcNow.AddDays(1)
        );
        CertificateBundlePath = Path.Combine(folder, "token-issuer.pem");
        File.WriteAllText(CertificateBundlePath, certificate.ExportCertificatePem());

        serveLoop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>PEM file with the certificate the registry must trust.</summary>
    public string CertificateBundlePath { get; }

    /// <summary>URL for the registry's <c>auth.token.realm</c>.</summary>
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>Every token request so far: the scopes asked for and the user who sent
    /// valid credentials (null when none were sent).</summary>
    public ConcurrentQueue<(IReadOnlyList<string> Scopes, string? User)> Requests { get; } = new();

    /// <summary>Number of requests rejected for bad or missing credentials.</summary>
    public int Rejected => rejected;

    private int rejected;

    /// <summary>Starts the server on a free port; the certificate goes into
    /// <paramref name="folder"/>.</summary>
    public static StandInTokenServer Start(string folder, string username, string password)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = RegistryTestPorts.Reserve();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new StandInTokenServer(listener, port, folder, username, password);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>YAML <c>auth:</c> block that makes the registry trust this server.</summary>
    public string RegistryAuthYaml =>
        $"""
            auth:
              token:
                realm: {Realm}
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {CertificateBundlePath}
            """;

    public async ValueTask DisposeAsync()
    {
        // Close alone, because Close after Stop binds the freed port again.
        listener.Close();
        try
        {
            await serveLoop;
        }
        catch (Exception exception)
            when (exception
                    is HttpListenerException
                        or ObjectDisposedException
                        or InvalidOperationException
            )
        {
            // Closing the listener ends the pending GetContextAsync with one of these.
        }

        certificate.Dispose();
        key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception)
                when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                Answer(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        if (request.HttpMethod != "GET" || request.Url!.AbsolutePath != "/token")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var user = CheckCredentials(request.Headers["Authorization"]);
        var scopes = request.QueryString.GetValues("scope") ?? [];
        Requests.Enqueue((scopes, user));
        if (user is null)
        {
            Interlocked.Increment(ref rejected);
            WriteJson(
                context.Response,
                401,
                """{"errors":[{"code":"UNAUTHORIZED","message":"invalid credentials"}]}"""
            );
            return;
        }

        var service = request.QueryString["service"] ?? "";
        var token = IssueToken(user, service, scopes);
        var body = JsonSerializer.Serialize(
            new Dictionary<string, object>
            {
                ["token"] = token,
                ["access_token"] = token,
                ["expires_in"] = 300,
                ["issued_at"] = DateTimeOffset.UtcNow.ToString("O"),
            }
        );
        WriteJson(context.Response, 200, body);
    }

    private string? CheckCredentials(string? authorization)
    {
        const string prefix = "Basic ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(
                Convert.FromBase64String(authorization[prefix.Length..])
            );
            return decoded == $"{username}:{password}" ? username : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string IssueToken(string subject, string audience, IEnumerable<string> scopes)
    {
        // Claims follow distribution's registry/auth/token ClaimSet: access entries are
        // {type, name, actions} parsed from "type:name:action,action".
        var access = scopes
            .SelectMany(scope => scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(scope =>
            {
                var parts = scope.Split(':');
                return new Dictionary<string, object>
                {
                    ["type"] = parts[0],
                    ["name"] = string.Join(':', parts[1..^1]),
                    ["actions"] = parts[^1].Split(','),
                };
            })
            .ToList();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) },
        };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };

        var signingInput =
            $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}."
            + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(
            Encoding.ASCII.GetBytes(signingInput),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void WriteJson(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }
}
