using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Harness.Backends.Knative;

/// <summary>
/// Collects pod and event updates from the watches during one cold start and records the first
/// time each <see cref="PodStartChange"/> reached the harness. Follows the first pod of the
/// service that appears after the trigger. Thread-safe: both watches call in concurrently.
/// </summary>
internal sealed class PodStartRecorder
{
    // Waiting reasons after which kubelet will not start the container without outside help.
    private static readonly HashSet<string> FatalWaitingReasons =
    [
        "ErrImagePull",
        "ImagePullBackOff",
        "InvalidImageName",
        "ErrImageNeverPull",
        "CreateContainerConfigError",
        "CreateContainerError",
        "CrashLoopBackOff",
        "RunContainerError",
    ];

    private readonly object gate = new();
    private readonly string containerName;
    private readonly List<PodStartObservation> observations = [];
    private readonly List<Corev1Event> unmatchedEvents = [];
    private readonly TaskCompletionSource<string> failure = new(
        TaskCreationOptions.RunContinuationsAsynchronously
    );
    private long triggerTimestamp;
    private DateTimeOffset triggerTime;
    private V1Pod? pod;
    private KubeletPullReport? pullReport;
    private Corev1Event? lastEvent;
    private string? failedEventMessage;

    public PodStartRecorder(string containerName)
    {
        this.containerName = containerName;
    }

    /// <summary>Completes with the cluster's message when the pod fails in a way it will
    /// not recover from by itself, such as an image pull error.</summary>
    public Task<string> Failure => failure.Task;

    /// <summary>Marks the moment the request is sent; all elapsed times count from here.
    /// </summary>
    public void MarkTrigger()
    {
        lock (gate)
        {
            triggerTimestamp = Stopwatch.GetTimestamp();
            triggerTime = DateTimeOffset.UtcNow;
            observations.Add(
                new PodStartObservation(PodStartChange.Trigger, triggerTime, 0, null, null)
            );
        }
    }

    /// <summary>Records a change that happened in the harness itself, such as the first byte
    /// of the response.</summary>
    public PodStartObservation Record(string change, string? detail = null)
    {
        lock (gate)
        {
            return Add(change, null, detail)!;
        }
    }

    /// <summary>Returns the first observation of <paramref name="change"/>, or null.</summary>
    public PodStartObservation? Find(string change)
    {
        lock (gate)
        {
            return observations.FirstOrDefault(observation => observation.Change == change);
        }
    }

    /// <summary>Milliseconds since the trigger, on the monotonic clock.</summary>
    public double ElapsedMs => Stopwatch.GetElapsedTime(triggerTimestamp).TotalMilliseconds;

    /// <summary>Handles one pod watch event.</summary>
    public void OnPod(WatchEventType type, V1Pod update)
    {
        lock (gate)
        {
            if (type == WatchEventType.Bookmark || type == WatchEventType.Error)
            {
                return;
            }

            if (pod is null)
            {
                // Pods already being deleted are left over from the previous sample.
                if (type == WatchEventType.Deleted || update.Metadata.DeletionTimestamp is not null)
                {
                    return;
                }

                pod = update;
                Add(
                    PodStartChange.PodCreated,
                    update.Metadata.CreationTimestamp,
                    update.Metadata.Name
                );
                foreach (var waiting in unmatchedEvents.ToList())
                {
                    ApplyEvent(waiting);
                }

                unmatchedEvents.Clear();
            }
            else if (pod.Metadata.Uid != update.Metadata.Uid)
            {
                return;
            }
            else
            {
                pod = update;
            }

            ApplyPod(update);
        }
    }

    /// <summary>Handles one event watch event.</summary>
    public void OnEvent(WatchEventType type, Corev1Event update)
    {
        lock (gate)
        {
            if (
                type is not (WatchEventType.Added or WatchEventType.Modified)
                || update.InvolvedObject?.Kind != "Pod"
            )
            {
                return;
            }

            if (pod is null)
            {
                unmatchedEvents.Add(update);
                return;
            }

            ApplyEvent(update);
        }
    }

    /// <summary>Copies what was recorded so far into a timeline.</summary>
    public PodStartTimeline ToTimeline(int sequence, string serviceName)
    {
        lock (gate)
        {
            return new PodStartTimeline
            {
                Sequence = sequence,
                ServiceName = serviceName,
                PodName = pod?.Metadata.Name,
                NodeName = pod?.Spec?.NodeName,
                PullReport = pullReport,
                Observations = observations.ToList(),
            };
        }
    }

    /// <summary>Describes the pod's state in the cluster's words, for timeout messages.
    /// </summary>
    public string DescribeState()
    {
        lock (gate)
        {
            if (pod is null)
            {
                return "no pod of the service appeared" + DescribeLastEvent();
            }

            var parts = new List<string> { $"pod {pod.Metadata.Name} is {pod.Status?.Phase}" };
            foreach (var condition in pod.Status?.Conditions ?? [])
            {
                if (condition.Status != "True")
                {
                    parts.Add(
                        $"{condition.Type}={condition.Status}"
                            + (condition.Reason is null ? "" : $" ({condition.Reason})")
                            + (condition.Message is null ? "" : $": {condition.Message}")
                    );
                }
            }

            var container = FindContainerStatus(pod);
            if (container?.State?.Waiting is { } waiting)
            {
                parts.Add(
                    $"container {containerName} waiting: {waiting.Reason}"
                        + (waiting.Message is null ? "" : $": {waiting.Message}")
                );
            }
            else if (container is not null)
            {
                parts.Add($"container {containerName} ready={container.Ready}");
            }

            return string.Join("; ", parts) + DescribeLastEvent();
        }
    }

    private string DescribeLastEvent() =>
        lastEvent is null ? "" : $"; last event: {lastEvent.Reason}: {lastEvent.Message}";

    private void ApplyPod(V1Pod update)
    {
        foreach (var condition in update.Status?.Conditions ?? [])
        {
            if (condition.Status != "True")
            {
                continue;
            }

            if (condition.Type == "PodScheduled")
            {
                Add(PodStartChange.Scheduled, condition.LastTransitionTime, update.Spec?.NodeName);
            }
            else if (condition.Type == "Ready")
            {
                Add(PodStartChange.Ready, condition.LastTransitionTime, null);
            }
        }

        if (DescribeFatalWaiting(update, containerName) is { } problem)
        {
            Fail(problem);
        }
    }

    /// <summary>Describes the container's waiting state in kubelet's words when it is one the
    /// pod will not leave by itself (a pull error, a crash loop); null otherwise.</summary>
    public static string? DescribeFatalWaiting(V1Pod subject, string containerName)
    {
        var waiting = subject
            .Status?.ContainerStatuses?.FirstOrDefault(status => status.Name == containerName)
            ?.State?.Waiting;
        if (waiting?.Reason is not { } reason || !FatalWaitingReasons.Contains(reason))
        {
            return null;
        }

        return $"container {containerName} of pod {subject.Metadata.Name} is waiting: "
            + reason
            + (waiting.Message is null ? "" : $": {waiting.Message}");
    }

    private void ApplyEvent(Corev1Event update)
    {
        var involved = update.InvolvedObject;
        if (
            involved.Uid is { Length: > 0 } uid
                ? uid != pod!.Metadata.Uid
                : involved.Name != pod!.Metadata.Name
        )
        {
            return;
        }

        lastEvent = update;
        var serverTime = update.LastTimestamp ?? update.EventTime ?? update.FirstTimestamp;

        // Container events name their container in fieldPath, as spec.containers{NAME};
        // queue-proxy, which Knative adds to every pod, has events of its own.
        var fieldPath = involved.FieldPath ?? "";
        var aboutContainer = fieldPath.Contains($"{{{containerName}}}", StringComparison.Ordinal);
        switch (update.Reason)
        {
            case "Pulling" when aboutContainer:
                Add(PodStartChange.Pulling, serverTime, update.Message);
                break;
            case "Pulled" when aboutContainer:
                if (Add(PodStartChange.Pulled, serverTime, update.Message) is not null)
                {
                    pullReport = KubeletPullReport.Parse(update.Message);
                }

                break;
            case "Created" when aboutContainer:
                Add(PodStartChange.Created, serverTime, update.Message);
                break;
            case "Started" when aboutContainer:
                Add(PodStartChange.Started, serverTime, update.Message);
                break;
            case "Failed" when aboutContainer:
            case "BackOff"
                when aboutContainer
                    && (update.Message ?? "").Contains("pulling image", StringComparison.Ordinal):
                failedEventMessage ??= update.Message;
                Fail(update.Message ?? update.Reason);
                break;
        }
    }

    private V1ContainerStatus? FindContainerStatus(V1Pod subject) =>
        subject.Status?.ContainerStatuses?.FirstOrDefault(status => status.Name == containerName);

    /// <summary>Describes the failure with kubelet's first Failed event for the container
    /// when one arrived, since it names the image and the cause, else with the container's
    /// waiting state.</summary>
    public string DescribeFailure()
    {
        lock (gate)
        {
            var state = failure.Task.IsCompleted ? failure.Task.Result : DescribeState();
            return failedEventMessage is null || state.Contains(failedEventMessage)
                ? state
                : $"{failedEventMessage} ({state})";
        }
    }

    /// <summary>True once kubelet's Failed event for the container has arrived.</summary>
    public bool HasFailedEvent
    {
        get
        {
            lock (gate)
            {
                return failedEventMessage is not null;
            }
        }
    }

    // The first problem seen wins; the pod status and kubelet's events report the same
    // failure, in either order.
    private void Fail(string message) => failure.TrySetResult(message);

    private PodStartObservation? Add(string change, DateTime? serverTime, string? detail)
    {
        if (observations.Any(observation => observation.Change == change))
        {
            return null;
        }

        var observation = new PodStartObservation(
            change,
            DateTimeOffset.UtcNow,
            Math.Round(ElapsedMs, 3),
            serverTime is { } time
                ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
                : null,
            detail
        );
        observations.Add(observation);
        return observation;
    }
}
