using System.Text.Json.Nodes;

namespace Harness.Tests.Knative;

/// <summary>The scripted behaviour of the stand-in cluster: deployments and cold starts.
/// </summary>
internal sealed partial class KubernetesApiStandIn
{
    public const string UserContainer = "user-container";

    private int podCounter;

    /// <summary>Name of a pod from an earlier start whose event the backend must ignore.
    /// </summary>
    public static string StaleEventPodName(string service) => $"{service}-00001-deployment-old";

    /// <summary>Returns the name of the service whose status.url has host
    /// <paramref name="host"/>, or null.</summary>
    public string? FindServiceByHost(string host)
    {
        lock (gate)
        {
            return Collection("services")
                .Values.Where(service => service["status"]?["url"]?.ToString() == $"http://{host}")
                .Select(service => service["metadata"]!["name"]!.ToString())
                .FirstOrDefault();
        }
    }

    /// <summary>Number of pods of <paramref name="service"/> right now.</summary>
    public int PodCount(string service)
    {
        lock (gate)
        {
            return Collection("pods")
                .Values.Count(pod =>
                    pod["metadata"]?["labels"]?["serving.knative.dev/service"]?.ToString()
                    == service
                );
        }
    }

    /// <summary>
    /// Plays the scripted start of a new pod for <paramref name="service"/>, as Knative and
    /// kubelet would after a request reached the activator. Returns true once the pod is ready;
    /// in the failure scenarios never returns before <paramref name="cancellationToken"/> ends.
    /// </summary>
    public async Task<bool> ColdStartAsync(string service, CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken,
            stopping.Token
        );
        var token = both.Token;
        var image = Get("services", service)
            ?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.ToString()
            ?? "unknown";
        var podNumber = Interlocked.Increment(ref podCounter);
        var podName = $"{service}-00001-deployment-5c9f8-{podNumber:x5}";
        var uid = Guid.NewGuid().ToString();
        var pod = NewPod(service, podName, uid, image);

        // An event left over from an earlier pod of the service must not count.
        AddEvent(
            StaleEventPodName(service),
            Guid.NewGuid().ToString(),
            UserContainer,
            "Pulled",
            $"Container image \"{image}\" already present on machine"
        );
        Put("pods", pod);
        await Task.Delay(StepDelay, token);

        SetCondition(pod, "PodScheduled", "True");
        pod["spec"]!["nodeName"] = NodeName;
        Put("pods", pod);
        AddEvent(
            podName,
            uid,
            null,
            "Scheduled",
            $"Successfully assigned {Namespace}/{podName} to {NodeName}",
            "default-scheduler"
        );
        await Task.Delay(StepDelay, token);

        AddEvent(podName, uid, UserContainer, "Pulling", $"Pulling image \"{image}\"");
        await Task.Delay(StepDelay, token);

        if (Scenario == StandInScenario.ImagePullFailure)
        {
            var cause =
                $"rpc error: code = NotFound desc = failed to pull and unpack image "
                + $"\"{image}\": failed to resolve reference \"{image}\": {image}: not found";
            SetWaiting(pod, "ErrImagePull", cause);
            Put("pods", pod);
            AddEvent(
                podName,
                uid,
                UserContainer,
                "Failed",
                $"Failed to pull image \"{image}\": {cause}",
                type: "Warning"
            );
            AddEvent(podName, uid, UserContainer, "Failed", "Error: ErrImagePull", type: "Warning");
            await Task.Delay(Timeout.Infinite, token);
        }

        AddEvent(
            podName,
            uid,
            UserContainer,
            "Pulled",
            $"Successfully pulled image \"{image}\" in {ReportedPullDuration} "
                + $"({ReportedPullDuration} including waiting). Image size: 41943040 bytes."
        );
        await Task.Delay(StepDelay, token);

        AddEvent(podName, uid, UserContainer, "Created", $"Created container {UserContainer}");
        await Task.Delay(StepDelay, token);

        SetRunning(pod);
        Put("pods", pod);
        AddEvent(podName, uid, UserContainer, "Started", $"Started container {UserContainer}");
        AddEvent(
            podName,
            uid,
            "queue-proxy",
            "Pulled",
            "Container image \"gcr.io/knative-releases/queue\" already present on machine"
        );
        AddEvent(podName, uid, "queue-proxy", "Created", "Created container queue-proxy");
        AddEvent(podName, uid, "queue-proxy", "Started", "Started container queue-proxy");
        await Task.Delay(StepDelay, token);

        if (Scenario == StandInScenario.NeverReady)
        {
            SetCondition(
                pod,
                "Ready",
                "False",
                "ContainersNotReady",
                $"containers with unready status: [{UserContainer}]"
            );
            Put("pods", pod);
            AddEvent(
                podName,
                uid,
                "queue-proxy",
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
                type: "Warning"
            );
            await Task.Delay(Timeout.Infinite, token);
        }

        SetCondition(pod, "ContainersReady", "True");
        SetCondition(pod, "Ready", "True");
        pod["status"]!["phase"] = "Running";
        Put("pods", pod);
        return true;
    }

    /// <summary>Deletes the pods of <paramref name="service"/> after
    /// <see cref="ScaleDownDelay"/>, as the autoscaler does once the service is idle.</summary>
    public async Task ScaleToZeroLaterAsync(string service)
    {
        await Task.Delay(ScaleDownDelay);
        foreach (
            var pod in Objects("pods")
                .Where(pod =>
                    pod["metadata"]?["labels"]?["serving.knative.dev/service"]?.ToString()
                    == service
                )
        )
        {
            Remove("pods", pod["metadata"]!["name"]!.ToString());
        }
    }

    // A new service becomes ready with one pod, which goes away shortly after, as Knative's
    // initial scale of 1 followed by scale to zero.
    private JsonObject CreateService(JsonObject body)
    {
        var metadata = body["metadata"]!.AsObject();
        var name = metadata["name"]!.ToString();
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["generation"] = 1;
        metadata["creationTimestamp"] = Now();
        body["status"] = new JsonObject
        {
            ["observedGeneration"] = 0,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Ready", ["status"] = "Unknown" }
            ),
        };
        var stored = Put("services", body);
        _ = Task.Run(() => ReadyServiceAsync(name));
        return stored;
    }

    private async Task ReadyServiceAsync(string name)
    {
        try
        {
            var image = Get("services", name)
                ?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.ToString()
                ?? "unknown";
            var initialPod = NewPod(
                name,
                $"{name}-00001-deployment-5c9f8-initial",
                Guid.NewGuid().ToString(),
                image
            );
            if (HoldDeployments)
            {
                Put("pods", initialPod);
                return;
            }

            SetCondition(initialPod, "PodScheduled", "True");
            if (FailDeployments)
            {
                SetWaiting(initialPod, "ImagePullBackOff", $"Back-off pulling image \"{image}\"");
                Put("pods", initialPod);
                return;
            }

            SetRunning(initialPod);
            SetCondition(initialPod, "Ready", "True");
            Put("pods", initialPod);
            await Task.Delay(StepDelay, stopping.Token);

            var service = Get("services", name);
            if (service is null)
            {
                return;
            }

            service["status"] = new JsonObject
            {
                ["observedGeneration"] = service["metadata"]!["generation"]!.GetValue<int>(),
                ["url"] = $"http://{name}.{Namespace}.example.com",
                ["latestReadyRevisionName"] = $"{name}-00001",
                ["latestCreatedRevisionName"] = $"{name}-00001",
                ["conditions"] = new JsonArray(
                    Condition("ConfigurationsReady", "True"),
                    Condition("Ready", "True"),
                    Condition("RoutesReady", "True")
                ),
            };
            Put("services", service);
            await ScaleToZeroLaterAsync(name);
        }
        catch (OperationCanceledException) { }
    }

    private JsonObject ReplaceService(JsonObject body)
    {
        var name = body["metadata"]!["name"]!.ToString();
        var current = Get("services", name)!;
        body["metadata"]!["uid"] = current["metadata"]!["uid"]!.ToString();
        body["metadata"]!["generation"] = current["metadata"]!["generation"]!.GetValue<int>() + 1;
        body["status"] = current["status"]!.DeepClone();
        var stored = Put("services", body);
        _ = Task.Run(() => ReadyServiceAsync(name));
        return stored;
    }

    private List<JsonObject> DeleteServices(string? selector)
    {
        var deleted = Objects("services")
            .Where(service => MatchesSelector(service, selector))
            .ToList();
        foreach (var service in deleted)
        {
            var name = service["metadata"]!["name"]!.ToString();
            Remove("services", name);
            foreach (
                var pod in Objects("pods")
                    .Where(pod =>
                        pod["metadata"]?["labels"]?["serving.knative.dev/service"]?.ToString()
                        == name
                    )
            )
            {
                Remove("pods", pod["metadata"]!["name"]!.ToString());
            }
        }

        return deleted;
    }

    private static JsonObject NewPod(string service, string name, string uid, string image) =>
        new()
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Namespace,
                ["uid"] = uid,
                ["creationTimestamp"] = Now(),
                ["labels"] = new JsonObject
                {
                    ["serving.knative.dev/service"] = service,
                    ["serving.knative.dev/revision"] = $"{service}-00001",
                    ["serving.knative.dev/configuration"] = service,
                },
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(
                    new JsonObject { ["name"] = UserContainer, ["image"] = image },
                    new JsonObject
                    {
                        ["name"] = "queue-proxy",
                        ["image"] = "gcr.io/knative-releases/queue",
                    }
                ),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["qosClass"] = "Burstable",
                ["conditions"] = new JsonArray(),
                ["containerStatuses"] = new JsonArray(),
            },
        };

    private static void SetCondition(
        JsonObject pod,
        string type,
        string status,
        string? reason = null,
        string? message = null
    )
    {
        var conditions = pod["status"]!["conditions"]!.AsArray();
        var existing = conditions.FirstOrDefault(c => c?["type"]?.ToString() == type);
        if (existing is not null)
        {
            conditions.Remove(existing);
        }

        var condition = Condition(type, status);
        condition["reason"] = reason;
        condition["message"] = message;
        conditions.Add(condition);
    }

    private static void SetWaiting(JsonObject pod, string reason, string message)
    {
        pod["status"]!["containerStatuses"] = new JsonArray(
            new JsonObject
            {
                ["name"] = UserContainer,
                ["ready"] = false,
                ["restartCount"] = 0,
                ["image"] = pod["spec"]!["containers"]![0]!["image"]!.ToString(),
                ["imageID"] = "",
                ["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message },
                },
            }
        );
    }

    private static void SetRunning(JsonObject pod)
    {
        pod["status"]!["phase"] = "Running";
        pod["status"]!["containerStatuses"] = new JsonArray(
            new JsonObject
            {
                ["name"] = UserContainer,
                ["ready"] = false,
                ["restartCount"] = 0,
                ["started"] = true,
                ["image"] = pod["spec"]!["containers"]![0]!["image"]!.ToString(),
                ["imageID"] = "sha256:0000",
                ["state"] = new JsonObject
                {
                    ["running"] = new JsonObject { ["startedAt"] = Now() },
                },
            }
        );
    }

    private static JsonObject Condition(string type, string status) =>
        new()
        {
            ["type"] = type,
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = Now(),
        };

    private void AddEvent(
        string podName,
        string uid,
        string? container,
        string reason,
        string message,
        string component = "kubelet",
        string type = "Normal"
    )
    {
        var now = Now();
        var involved = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = Namespace,
            ["name"] = podName,
            ["uid"] = uid,
            ["apiVersion"] = "v1",
        };
        if (container is not null)
        {
            involved["fieldPath"] = $"spec.containers{{{container}}}";
        }

        Put(
            "events",
            new JsonObject
            {
                ["kind"] = "Event",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{podName}.{Guid.NewGuid():N}"[..(podName.Length + 17)],
                    ["namespace"] = Namespace,
                },
                ["involvedObject"] = involved,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = new JsonObject { ["component"] = component, ["host"] = NodeName },
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = component,
                ["reportingInstance"] = NodeName,
            }
        );
    }

    // The API server writes timestamps in RFC 3339 with whole seconds.
    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}
