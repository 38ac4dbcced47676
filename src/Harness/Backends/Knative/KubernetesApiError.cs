using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Harness.Backends.Knative;

/// <summary>
/// Turns a failed Kubernetes API call into a message in the cluster's own words, and names the
/// missing permission when the API server returned 403 Forbidden.
/// </summary>
internal static partial class KubernetesApiError
{
    /// <summary>Describes <paramref name="exception"/>, raised while doing
    /// <paramref name="action"/> (such as "create Knative Service nodejs-estargz"); without an
    /// action, names the HTTP request that failed.</summary>
    public static string Describe(HttpOperationException exception, string? action = null)
    {
        action ??= exception.Request is { } request
            ? $"{request.Method} {request.RequestUri?.PathAndQuery}"
            : "call the Kubernetes API";
        var status = TryReadStatus(exception.Response?.Content);
        var code = exception.Response?.StatusCode;
        var clusterMessage = status?.Message;
        if (string.IsNullOrWhiteSpace(clusterMessage))
        {
            clusterMessage = exception.Response?.Content is { Length: > 0 } content
                ? Shorten(content)
                : exception.Message;
        }

        if (code == HttpStatusCode.Forbidden)
        {
            return DescribeForbidden(action, clusterMessage, status);
        }

        var reason = status?.Reason ?? code?.ToString() ?? "no response";
        return $"The Kubernetes API rejected the request to {action} "
            + $"({(int?)code} {reason}): {clusterMessage}";
    }

    /// <summary>Describes an error object that arrived inside a watch stream.</summary>
    public static string Describe(KubernetesException exception, string action) =>
        $"The Kubernetes API ended the watch used to {action}: "
        + (exception.Status?.Message ?? exception.Message);

    /// <summary>Names the verb, resource, group and namespace of a 403 Status message.</summary>
    public static string? DescribeMissingPermission(string clusterMessage)
    {
        var match = ForbiddenPattern().Match(clusterMessage);
        if (!match.Success)
        {
            return null;
        }

        var verb = match.Groups["verb"].Value;
        var resource = match.Groups["resource"].Value;
        var group = match.Groups["group"].Success ? match.Groups["group"].Value : "";
        var scope = match.Groups["namespace"].Success
            ? $"in namespace \"{match.Groups["namespace"].Value}\""
            : "at cluster scope";
        var groupText = group.Length == 0 ? "the core API group" : $"API group \"{group}\"";
        var qualified = group.Length == 0 ? resource : $"{resource}.{group}";
        var grant = match.Groups["namespace"].Success
            ? $"kubectl create role harness-{verb} --verb={verb} --resource={qualified} "
                + $"-n {match.Groups["namespace"].Value}"
            : $"kubectl create clusterrole harness-{verb} --verb={verb} --resource={qualified}";
        return $"Missing permission: verb \"{verb}\" on resource \"{resource}\" in {groupText} "
            + $"{scope}. Grant it to the kubeconfig's user (for example '{grant}' and a "
            + "matching rolebinding) or use a context that has it.";
    }

    private static string DescribeForbidden(string action, string clusterMessage, V1Status? status)
    {
        var permission = DescribeMissingPermission(clusterMessage);
        if (permission is null && status?.Details is { } details)
        {
            // Without the standard message the Status details still name the object.
            permission =
                $"Missing permission on resource \"{details.Kind}\" in API group "
                + $"\"{details.Group}\" (object \"{details.Name}\").";
        }

        return $"The Kubernetes API refused to {action} (403 Forbidden): {clusterMessage}"
            + (permission is null ? "" : $" {permission}");
    }

    private static V1Status? TryReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(content);
            return status?.Kind == "Status" ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) =>
        text.Length <= 500 ? text.Trim() : text[..500].Trim() + " …";

    // The API server's authorizer writes: User "NAME" cannot VERB resource "RESOURCE" in API
    // group "GROUP" in the namespace "NAMESPACE". The group is empty for the core API, and
    // cluster-scoped requests end with "at the cluster scope" instead of a namespace.
    [GeneratedRegex(
        "cannot (?<verb>[a-z]+) resource \"(?<resource>[^\"]+)\""
            + "(?: in API group \"(?<group>[^\"]*)\")?"
            + "(?: in the namespace \"(?<namespace>[^\"]+)\")?"
    )]
    private static partial Regex ForbiddenPattern();
}
