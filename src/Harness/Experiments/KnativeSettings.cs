namespace Harness.Experiments;

/// <summary>Where and how the Knative backend deploys services.</summary>
public sealed record KnativeSettings
{
    /// <summary>Path of the kubeconfig; null uses <c>KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
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
}
