namespace Harness.Backends.Knative;

/// <summary>
/// Sends requests to a Knative service through the cluster's ingress gateway: the connection
/// goes to the gateway's address and the service is chosen by the <c>Host</c> header, so the
/// harness needs no DNS entry for the service.
/// </summary>
internal sealed class IngressClient : IDisposable
{
    private const int MaxBodyCharacters = 500;

    private readonly HttpClient client;
    private readonly string ingress;

    /// <summary>Creates a client for the gateway at <paramref name="ingress"/>
    /// (<c>host:port</c>).</summary>
    public IngressClient(string ingress)
    {
        this.ingress = ingress;

        // A fresh connection per request keeps an idle pooled connection, which the gateway
        // may have closed during the scale-to-zero wait, out of the measurement.
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Checks that <paramref name="ingress"/> has the form <c>host:port</c> and
    /// returns its base address.</summary>
    public static Uri ParseAddress(string? ingress)
    {
        var text = ingress?.Trim() ?? "";
        var colon = text.LastIndexOf(':');
        var valid =
            colon > 0
            && int.TryParse(text[(colon + 1)..], out var port)
            && port is > 0 and <= 65535
            && Uri.CheckHostName(text[..colon].Trim('[', ']')) != UriHostNameType.Unknown;
        if (!valid || !Uri.TryCreate($"http://{text}/", UriKind.Absolute, out var address))
        {
            throw new HarnessException(
                $"The knative.ingress setting is '{ingress}', expected host:port of the "
                    + "Knative ingress gateway, such as 127.0.0.1:31080. On a single-node cluster "
                    + "use 127.0.0.1 and the gateway's HTTP NodePort (kubectl get svc -n "
                    + "kourier-system kourier, or -n istio-system istio-ingressgateway)."
            );
        }

        return address;
    }

    /// <summary>
    /// Sends GET <paramref name="path"/> to the service whose host name is
    /// <paramref name="host"/>. Calls <paramref name="onFirstByte"/> when the status line and
    /// headers arrive, then reads the body to its end.
    /// </summary>
    public async Task<IngressResponse> SendAsync(
        string host,
        string path,
        Action onFirstByte,
        CancellationToken cancellationToken
    )
    {
        var uri = new Uri(ParseAddress(ingress), path.StartsWith('/') ? path : "/" + path);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Host = host;
        using var response = await client.SendAsync(
            request,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken
        );
        onFirstByte();

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new IngressResponse(
            (int)response.StatusCode,
            body.Length <= MaxBodyCharacters ? body : body[..MaxBodyCharacters] + " …"
        );
    }

    public void Dispose() => client.Dispose();
}
