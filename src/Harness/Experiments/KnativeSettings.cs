namespace Harness.Experiments;

/// <summary>Where and how the Knative backend deploys services.</summary>
public sealed record KnativeSettings
{
    /// <summary>Path of the kubeconfig; null uses <c>KUBECONFIG</c> or
    /// <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }
    public string Namespace { get; init; } = "default";

    /// <summary>Registry and repository prefix the cluster pulls from, such as
    /// <c>docker.io/example</c>.</summary>
    public string? ImageRepository { get; init; }

    /// <summary>Checkout of vHive whose setup scripts run before the experiment; null skips
    /// node setup.</summary>
    public string? VhivePath { get; init; }

    /// <summary>Deploy with <c>kn service apply</c> instead of the Kubernetes API.</summary>
    public bool UseKn { get; init; }

    /// <summary>Host and port of the Knative ingress gateway, such as <c>127.0.0.1:31080</c>.
    /// </summary>
    public string? Ingress { get; init; }

    /// <summary>Folder of the Knative Service templates; null uses
    /// <c>configs/knative_workloads</c> in the repository.</summary>
    public string? Templates { get; init; }

    /// <summary>Maximum wait, in seconds, for a service to scale to zero pods before a cold
    /// start.</summary>
    public double ScaleToZeroSeconds { get; init; } = 300;

    /// <summary>Remove the image from this machine's containerd before each cold start; false
    /// measures whatever the node still caches.</summary>
    public bool EvictImages { get; init; } = true;

    /// <summary>Kubernetes node name of this machine; null uses its host name.</summary>
    public string? NodeName { get; init; }

    /// <summary>containerd configuration of this machine, read to learn the CRI snapshotter.
    /// </summary>
    public string ContainerdConfig { get; init; } = "/etc/containerd/config.toml";

    /// <summary>Root folder of the stargz snapshotter, whose caches are cleared on eviction.
    /// </summary>
    public string StargzRoot { get; init; } = "/var/lib/containerd-stargz-grpc";
}
