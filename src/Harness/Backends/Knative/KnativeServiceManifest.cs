using System.Text.Json.Nodes;

namespace Harness.Backends.Knative;

/// <summary>A rendered Knative Service, ready to create.</summary>
/// <param name="Name">Service name, unique to the run.</param>
/// <param name="Body">The Service object (serving.knative.dev/v1).</param>
/// <param name="ContainerName">Name of the function's container inside its pods.</param>
/// <param name="TemplatePath">Template the service was rendered from.</param>
public sealed record KnativeServiceManifest(
    string Name,
    JsonObject Body,
    string ContainerName,
    string TemplatePath
);
