namespace Harness.Backends.Knative;

/// <summary>Labels and annotations the backend puts on, or reads from, cluster objects.</summary>
public static class KnativeLabels
{
    /// <summary>Standard Kubernetes label naming the tool that manages an object.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedBy"/> on every object the harness creates.</summary>
    public const string ManagedByValue = "cold-start-harness";

    /// <summary>Label holding the id of the run that created the service; cleanup deletes by
    /// it.</summary>
    public const string Run = "cold-start-harness/run";

    public const string Workload = "cold-start-harness/workload";
    public const string Variant = "cold-start-harness/variant";

    /// <summary>Label Knative Serving puts on every pod of a service.</summary>
    public const string KnativeService = "serving.knative.dev/service";

    /// <summary>Knative autoscaler's per-pod concurrency target.</summary>
    public const string AutoscalingTarget = "autoscaling.knative.dev/target";

    /// <summary>Knative autoscaler's lower bound on pods; 0 allows scale to zero.</summary>
    public const string AutoscalingMinScale = "autoscaling.knative.dev/min-scale";

    /// <summary>Name Knative gives the function's container when the template names none.
    /// </summary>
    public const string DefaultContainerName = "user-container";
}
