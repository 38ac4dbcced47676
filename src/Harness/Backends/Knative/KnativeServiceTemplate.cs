using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Harness.Images;
using Harness.Workloads;

namespace Harness.Backends.Knative;

/// <summary>
/// Renders Knative Service templates from <c>configs/knative_workloads/</c>. A template is a
/// Service in YAML whose strings may contain <c>${SERVICE_NAME}</c>, <c>${NAMESPACE}</c>,
/// <c>${IMAGE}</c>, <c>${PORT}</c>, <c>${WORKLOAD}</c>, <c>${VARIANT}</c> and
/// <c>${RUN_ID}</c>. Whatever the template contains, the result carries the image, concurrency 1,
/// scale to zero and the harness's labels.
/// </summary>
public sealed class KnativeServiceTemplate
{
    /// <summary>Longest service name kept, so that Knative's revision names
    /// (<c>NAME-00001</c>) and their deployments stay within the 63-character label limit.
    /// </summary>
    public const int MaxServiceNameLength = 40;

    private readonly string folder;

    /// <summary>Creates a renderer for the templates in <paramref name="folder"/>.</summary>
    public KnativeServiceTemplate(string folder)
    {
        this.folder = folder;
    }

    /// <summary>Template family for a variant: <c>stargz</c> for lazily pulled ones,
    /// <c>overlayfs</c> for the fully pulled baseline.</summary>
    public static string FamilyOf(ImageVariant variant) =>
        variant.IsLazy() ? "stargz" : "overlayfs";

    /// <summary>Finds the template for a workload and variant: <c>WORKLOAD-FAMILY.yaml</c>,
    /// else the same with the workload name cut at its last dash, and so on.</summary>
    public string FindTemplate(string workload, ImageVariant variant)
    {
        var family = FamilyOf(variant);
        var tried = new List<string>();
        for (var prefix = workload; prefix.Length > 0; )
        {
            var path = Path.Combine(folder, $"{prefix}-{family}.yaml");
            if (File.Exists(path))
            {
                return path;
            }

            tried.Add(path);
            var dash = prefix.LastIndexOf('-');
            prefix = dash > 0 ? prefix[..dash] : "";
        }

        throw new HarnessException(
            $"No Knative Service template for workload {workload} ({family}): tried "
                + $"{string.Join(", ", tried)}. Add one, for example by copying "
                + $"nodejs-{family}.yaml in {folder}."
        );
    }

    /// <summary>Builds the service name for a workload and variant in a run: lowercase
    /// letters, digits and dashes, starting with a letter, as Kubernetes names require.
    /// </summary>
    public static string ServiceName(string workload, ImageVariant variant, string runId)
    {
        var suffix = $"-{variant.ToName()}-{runId}";
        var cleaned = new StringBuilder();
        foreach (var character in workload.ToLowerInvariant())
        {
            var allowed = char.IsAsciiLetterLower(character) || char.IsAsciiDigit(character);
            if (allowed)
            {
                cleaned.Append(character);
            }
            else if (cleaned.Length > 0 && cleaned[^1] != '-')
            {
                cleaned.Append('-');
            }
        }

        var stem = cleaned.ToString().Trim('-');
        if (stem.Length == 0 || !char.IsAsciiLetterLower(stem[0]))
        {
            stem = "fn-" + stem;
        }

        var room = MaxServiceNameLength - suffix.Length;
        return stem[..Math.Min(stem.Length, room)].TrimEnd('-') + suffix;
    }

    /// <summary>Renders the template for one workload and variant.</summary>
    public KnativeServiceManifest Render(
        WorkloadManifest workload,
        ImageVariant variant,
        string imageReference,
        string namespaceName,
        string runId
    )
    {
        var path = FindTemplate(workload.Name, variant);
        var name = ServiceName(workload.Name, variant, runId);
        var values = new Dictionary<string, string>
        {
            ["SERVICE_NAME"] = name,
            ["NAMESPACE"] = namespaceName,
            ["IMAGE"] = imageReference,
            ["PORT"] = workload.Port.ToString(CultureInfo.InvariantCulture),
            ["WORKLOAD"] = workload.Name,
            ["VARIANT"] = variant.ToName(),
            ["RUN_ID"] = runId,
        };

        JsonNode? root;
        try
        {
            root = YamlToJson.Convert(File.ReadAllText(path));
        }
        catch (FormatException exception)
        {
            throw new HarnessException(
                $"The Knative Service template {path} is not valid: {exception.Message}.",
                exception
            );
        }

        if (
            root is not JsonObject service
            || service["apiVersion"]?.ToString() != "serving.knative.dev/v1"
            || service["kind"]?.ToString() != "Service"
        )
        {
            throw new HarnessException(
                $"The template {path} must be a Knative Service (apiVersion "
                    + "serving.knative.dev/v1, kind Service); fix its first lines."
            );
        }

        Substitute(service, values);
        var container = Enforce(
            service,
            workload,
            variant,
            imageReference,
            name,
            namespaceName,
            runId,
            path
        );
        var containerName = container["name"]?.ToString() ?? KnativeLabels.DefaultContainerName;
        return new KnativeServiceManifest(name, service, containerName, path);
    }

    private static JsonObject Enforce(
        JsonObject service,
        WorkloadManifest workload,
        ImageVariant variant,
        string imageReference,
        string name,
        string namespaceName,
        string runId,
        string path
    )
    {
        var metadata = ObjectAt(service, "metadata");
        metadata["name"] = name;
        metadata["namespace"] = namespaceName;
        AddLabels(ObjectAt(metadata, "labels"), workload.Name, variant, runId);

        var template = ObjectAt(ObjectAt(service, "spec"), "template");
        var templateMetadata = ObjectAt(template, "metadata");
        AddLabels(ObjectAt(templateMetadata, "labels"), workload.Name, variant, runId);
        var annotations = ObjectAt(templateMetadata, "annotations");
        annotations[KnativeLabels.AutoscalingTarget] = "1";
        annotations[KnativeLabels.AutoscalingMinScale] = "0";

        var podSpec = ObjectAt(template, "spec");
        podSpec["containerConcurrency"] = 1;
        if (
            podSpec["containers"] is not JsonArray { Count: 1 } containers
            || containers[0] is not JsonObject container
        )
        {
            throw new HarnessException(
                $"The template {path} must define exactly one container under "
                    + "spec.template.spec.containers; Knative adds its queue-proxy itself."
            );
        }

        container["image"] = imageReference;
        if (container["command"] is null && workload.Entrypoint.Count > 0)
        {
            container["command"] = new JsonArray(
                workload.Entrypoint.Select(part => (JsonNode?)JsonValue.Create(part)).ToArray()
            );
        }

        // Knative routes to exactly one port; the workload manifest decides which.
        if (container["ports"] is JsonArray { Count: > 0 } ports && ports[0] is JsonObject port)
        {
            port["containerPort"] = workload.Port;
        }
        else
        {
            container["ports"] = new JsonArray(
                new JsonObject { ["containerPort"] = workload.Port }
            );
        }

        if (workload.Environment.Count > 0)
        {
            var environment = container["env"] as JsonArray ?? [];
            container["env"] = environment;
            foreach (var (key, value) in workload.Environment.OrderBy(pair => pair.Key))
            {
                environment.Add(new JsonObject { ["name"] = key, ["value"] = value });
            }
        }

        if (container["workingDir"] is null && workload.WorkingDirectory != "/")
        {
            container["workingDir"] = workload.WorkingDirectory;
        }

        return container;
    }

    private static void AddLabels(
        JsonObject labels,
        string workload,
        ImageVariant variant,
        string runId
    )
    {
        labels[KnativeLabels.ManagedBy] = KnativeLabels.ManagedByValue;
        labels[KnativeLabels.Run] = runId;
        labels[KnativeLabels.Workload] = LabelValue(workload);
        labels[KnativeLabels.Variant] = variant.ToName();
    }

    // Label values allow at most 63 characters of [A-Za-z0-9._-].
    private static string LabelValue(string text)
    {
        var cleaned = new string(
            text.Select(character =>
                    char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-'
                        ? character
                        : '_'
                )
                .ToArray()
        );
        return cleaned[..Math.Min(cleaned.Length, 63)].Trim('.', '_', '-');
    }

    private static JsonObject ObjectAt(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    private static void Substitute(JsonNode node, IReadOnlyDictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(pair => pair.Key).ToList())
                {
                    if (obj[key] is JsonValue value && value.TryGetValue(out string? text))
                    {
                        obj[key] = ReplacePlaceholders(text, values);
                    }
                    else if (obj[key] is { } child)
                    {
                        Substitute(child, values);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue(out string? text))
                    {
                        array[i] = ReplacePlaceholders(text, values);
                    }
                    else if (array[i] is { } child)
                    {
                        Substitute(child, values);
                    }
                }

                break;
        }
    }

    private static string ReplacePlaceholders(
        string text,
        IReadOnlyDictionary<string, string> values
    )
    {
        foreach (var (key, value) in values)
        {
            text = text.Replace("${" + key + "}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
