using System.Net;

namespace Harness.Registry;

/// <summary>
/// A registry request failed. The message names the operation, the HTTP method and URL path
/// (never the query, which carries upload state, and never credentials), the status code, the
/// registry's own error codes and messages, and a next step.
/// </summary>
public sealed class RegistryException : HarnessException
{
    /// <summary>Creates the exception from a failed request's facts.</summary>
    public RegistryException(
        string operation,
        string method,
        string path,
        HttpStatusCode? statusCode,
        IReadOnlyList<RegistryError> errors,
        string nextStep,
        string? responseText = null,
        Exception? innerException = null
    )
        : base(
            FormatMessage(operation, method, path, statusCode, errors, nextStep, responseText),
            innerException
        )
    {
        Operation = operation;
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Errors = errors;
        NextStep = nextStep;
    }

    /// <summary>What the harness was doing, such as "upload blob sha256:ab12… to demo/app".
    /// </summary>
    public string Operation { get; }

    /// <summary>HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>URL path of the failed request, without query.</summary>
    public string Path { get; }

    /// <summary>HTTP status code, or null when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Error entries from the registry's response body (may be empty).</summary>
    public IReadOnlyList<RegistryError> Errors { get; }

    /// <summary>What the user can do about it.</summary>
    public string NextStep { get; }

    /// <summary>Tells whether the registry reported a given error code, such as
    /// <c>MANIFEST_BLOB_UNKNOWN</c>.</summary>
    public bool HasErrorCode(string code) =>
        Errors.Any(error => string.Equals(error.Code, code, StringComparison.Ordinal));

    private static string FormatMessage(
        string operation,
        string method,
        string path,
        HttpStatusCode? statusCode,
        IReadOnlyList<RegistryError> errors,
        string nextStep,
        string? responseText
    )
    {
        var status = statusCode is { } code ? $"returned {(int)code} {code}" : "got no response";
        var message = $"Registry request failed: {operation}: {method} {path} {status}.";
        if (errors.Count > 0)
        {
            var entries = errors.Select(error =>
                error.Detail is null
                    ? $"{error.Code}: {error.Message}"
                    : $"{error.Code}: {error.Message} ({error.Detail})"
            );
            message += " The registry reported: " + string.Join("; ", entries) + ".";
        }
        else if (!string.IsNullOrWhiteSpace(responseText))
        {
            message += $" Response body: {responseText}";
        }

        return message + $" Next step: {nextStep}";
    }
}
