using System.Text.Json.Nodes;
using Harness.Images;

namespace Harness.Experiments;

/// <summary>Renders an experiment in the layout of an experiment file.</summary>
public static class ExperimentJson
{
    /// <summary>
    /// Creates a JSON object with every setting of the experiment, defaults included, using the
    /// file's camelCase keys and variant names; absent optional sections are null.
    /// </summary>
    public static JsonObject ToJsonObject(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return new JsonObject
        {
            ["name"] = experiment.Name,
            ["description"] = experiment.Description,
            ["workloads"] = new JsonArray(
                experiment.Workloads.Select(workload => (JsonNode?)workload).ToArray()
            ),
            ["variants"] = new JsonArray(
                experiment.Variants.Select(variant => (JsonNode?)variant.ToName()).ToArray()
            ),
            ["repetitions"] = experiment.Repetitions,
            ["warmup"] = experiment.Warmup,
            ["order"] = new JsonObject
            {
                ["shuffle"] = experiment.Order.Shuffle,
                ["seed"] = experiment.Order.Seed,
            },
            ["timeouts"] = new JsonObject
            {
                ["pullSeconds"] = experiment.Timeouts.PullSeconds,
                ["readySeconds"] = experiment.Timeouts.ReadySeconds,
                ["requestSeconds"] = experiment.Timeouts.RequestSeconds,
            },
            ["backend"] = experiment.Backend,
            ["network"] = experiment.Network is { } network
                ? new JsonObject
                {
                    ["bandwidthMbit"] = network.BandwidthMbit,
                    ["rttMs"] = network.RttMs,
                    ["lossPercent"] = network.LossPercent,
                }
                : null,
            ["knative"] = experiment.Knative is { } knative
                ? new JsonObject
                {
                    ["kubeconfig"] = knative.Kubeconfig,
                    ["context"] = knative.Context,
                    ["namespace"] = knative.Namespace,
                    ["imageRepository"] = knative.ImageRepository,
                    ["vhivePath"] = knative.VhivePath,
                    ["useKn"] = knative.UseKn,
                    ["ingress"] = knative.Ingress,
                    ["templates"] = knative.Templates,
                    ["scaleToZeroSeconds"] = knative.ScaleToZeroSeconds,
                    ["evictImages"] = knative.EvictImages,
                    ["nodeName"] = knative.NodeName,
                    ["containerdConfig"] = knative.ContainerdConfig,
                    ["stargzRoot"] = knative.StargzRoot,
                }
                : null,
        };
    }
}
