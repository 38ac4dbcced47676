namespace Harness.Backends.Knative;

/// <summary>Outcome of the triggering request sent through the Knative ingress.</summary>
/// <param name="StatusCode">HTTP status code of the response.</param>
/// <param name="Body">Start of the response body, for error messages.</param>
internal sealed record IngressResponse(int StatusCode, string Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
