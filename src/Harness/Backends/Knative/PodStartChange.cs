namespace Harness.Backends.Knative;

/// <summary>Names of the changes the backend observes while a pod cold-starts.</summary>
public static class PodStartChange
{
    /// <summary>The triggering request was sent to the ingress.</summary>
    public const string Trigger = "Trigger";

    /// <summary>The pod object appeared (Knative scaled the revision up).</summary>
    public const string PodCreated = "PodCreated";

    /// <summary>The pod's <c>PodScheduled</c> condition became true.</summary>
    public const string Scheduled = "Scheduled";

    /// <summary>kubelet's <c>Pulling</c> event for the function's container.</summary>
    public const string Pulling = "Pulling";

    /// <summary>kubelet's <c>Pulled</c> event, with its reported pull duration.</summary>
    public const string Pulled = "Pulled";

    /// <summary>kubelet's <c>Created</c> event for the function's container.</summary>
    public const string Created = "Created";

    /// <summary>kubelet's <c>Started</c> event for the function's container.</summary>
    public const string Started = "Started";

    /// <summary>The pod's <c>Ready</c> condition became true.</summary>
    public const string Ready = "Ready";

    /// <summary>The response's status line and headers reached the harness.</summary>
    public const string FirstByte = "FirstByte";

    /// <summary>The response body was read to its end.</summary>
    public const string ResponseEnd = "ResponseEnd";
}
