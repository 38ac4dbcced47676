using System.Text.Json;

namespace Harness.Backends.Knative;

/// <summary>The parts of a Knative Service's status the backend acts on.</summary>
/// <param name="Ready">Status of the <c>Ready</c> condition: True, False, Unknown, or null
/// before the controller has looked at the service.</param>
/// <param name="Reason">Reason of the <c>Ready</c> condition.</param>
/// <param name="Message">Message of the <c>Ready</c> condition.</param>
/// <param name="Url">The service's <c>status.url</c>.</param>
/// <param name="UpToDate">True when the controller has seen the latest generation.</param>
internal sealed record KnativeServiceStatus(
    string? Ready,
    string? Reason,
    string? Message,
    string? Url,
    bool UpToDate
)
{
    /// <summary>Reads the status of a Service object returned by the API.</summary>
    public static KnativeServiceStatus Read(JsonElement service)
    {
        long? generation = null;
        if (
            service.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("generation", out var generationElement)
            && generationElement.ValueKind == JsonValueKind.Number
        )
        {
            generation = generationElement.GetInt64();
        }

        if (
            !service.TryGetProperty("status", out var status)
            || status.ValueKind != JsonValueKind.Object
        )
        {
            return new KnativeServiceStatus(null, null, null, null, false);
        }

        long? observed =
            status.TryGetProperty("observedGeneration", out var observedElement)
            && observedElement.ValueKind == JsonValueKind.Number
                ? observedElement.GetInt64()
                : null;
        var url = StringAt(status, "url");
        if (
            status.TryGetProperty("conditions", out var conditions)
            && conditions.ValueKind == JsonValueKind.Array
        )
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (StringAt(condition, "type") == "Ready")
                {
                    return new KnativeServiceStatus(
                        StringAt(condition, "status"),
                        StringAt(condition, "reason"),
                        StringAt(condition, "message"),
                        url,
                        generation is null || observed >= generation
                    );
                }
            }
        }

        return new KnativeServiceStatus(
            null,
            null,
            null,
            url,
            generation is null || observed >= generation
        );
    }

    /// <summary>Returns the host name of <see cref="Url"/>, or null.</summary>
    public string? Host => Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Host : null;

    private static string? StringAt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
