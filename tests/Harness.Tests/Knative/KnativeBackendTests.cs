using System.Text.Json.Nodes;
using Harness.Backends.Knative;
using Harness.Experiments;
using Harness.Images;
using Harness.Measurement;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>
/// The Knative backend against the loopback stand-in cluster: deployment, scale to zero,
/// eviction, the scripted cold start and its phases, failures and cleanup.
/// </summary>
public sealed class KnativeBackendTests
{
    private const int TestTimeout = 60_000;

    [Fact(Timeout = TestTimeout)]
    public async Task HappyPathProducesSamplesAndDeletesServices()
    {
        await using var cluster = new StandInCluster();
        var token = CancellationToken.None;
        await using var backend = cluster.CreateBackend(cluster.Experiment());

        await backend.PrepareAsync(token);
        var first = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            token
        );
        var second = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 1, repetition: 1),
            token
        );
        var third = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.Overlayfs, sequence: 2),
            token
        );
        var servicesBeforeCleanUp = cluster.Api.Objects("services").Count;
        await backend.CleanUpAsync(token);

        foreach (var sample in new[] { first, second, third })
        {
            Assert.Equal(SampleStatus.Ok, sample.Status);
            Assert.Null(sample.Error);
            Assert.Equal("nodejs-hello", sample.Workload);

            // The stand-in's Pulled event reports 1.5s; kubelet's own figure is the pull phase.
            Assert.Equal(1500, sample.PullMs);
            Assert.NotNull(sample.CreateMs);
            Assert.NotNull(sample.StartMs);
            Assert.NotNull(sample.ReadyMs);
            Assert.NotNull(sample.FirstResponseMs);

            // The ingress responds only after six scripted steps of 30 ms each.
            Assert.True(sample.TotalMs >= 6 * 30, $"total {sample.TotalMs} ms");

            // Create, start, ready and first_response run back to back from Pulled to the
            // first byte, inside trigger-to-first-byte.
            var afterPull =
                sample.CreateMs + sample.StartMs + sample.ReadyMs + sample.FirstResponseMs;
            Assert.True(afterPull <= sample.TotalMs + 0.01, $"{afterPull} > {sample.TotalMs}");
            Assert.Equal("stargz", sample.Snapshotter);
            Assert.Equal(41_943_040, sample.ImageBytes);
        }

        Assert.Equal(ImageVariantNames.EStargz, first.Variant);
        Assert.Equal(1, second.Repetition);
        Assert.Equal(1, second.Sequence);
        Assert.Equal(ImageVariantNames.Overlayfs, third.Variant);

        // One service per variant, reused by the second estargz sample, all gone afterwards.
        Assert.Equal(2, cluster.Api.CreatedServices.Count);
        Assert.Equal(2, servicesBeforeCleanUp);
        Assert.Empty(cluster.Api.Objects("services"));
        Assert.Contains(cluster.Api.Requests, request =>
            request.StartsWith("DELETE /apis/serving.knative.dev/v1/namespaces/default/services?")
            && request.Contains(Uri.EscapeDataString($"cold-start-harness/run={backend.RunId}"))
        );

        // Every eviction happened after the service had scaled to zero.
        Assert.Equal(3, cluster.Evictor.Evictions.Count);
        Assert.All(cluster.Evictor.Evictions, eviction =>
        {
            Assert.Equal(StandInCluster.Image, eviction.Image);
            Assert.Equal(0, eviction.PodsLeft);
        });

        var names = cluster
            .Api.CreatedServices.Select(service => service["metadata"]!["name"]!.ToString())
            .ToList();
        Assert.Equal(
            [
                $"{names[0]}.default.example.com",
                $"{names[0]}.default.example.com",
                $"{names[1]}.default.example.com",
            ],
            cluster.Ingress.Hosts.ToList()
        );
        Assert.Equal(3, cluster.Function.RequestCount);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task CreatedServiceCarriesConcurrencyScaleAndLabels()
    {
        await using var cluster = new StandInCluster();
        await using var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);

        await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        var service = Assert.Single(cluster.Api.CreatedServices);
        Assert.Equal("serving.knative.dev/v1", service["apiVersion"]!.ToString());
        Assert.Equal(
            $"nodejs-hello-estargz-{backend.RunId}",
            service["metadata"]!["name"]!.ToString()
        );
        var labels = service["metadata"]!["labels"]!;
        Assert.Equal("cold-start-harness", labels["app.kubernetes.io/managed-by"]!.ToString());
        Assert.Equal(backend.RunId, labels["cold-start-harness/run"]!.ToString());
        var template = service["spec"]!["template"]!;
        var annotations = template["metadata"]!["annotations"]!;
        Assert.Equal("1", annotations["autoscaling.knative.dev/target"]!.GetValue<string>());
        Assert.Equal("0", annotations["autoscaling.knative.dev/min-scale"]!.GetValue<string>());
        Assert.Equal(1, template["spec"]!["containerConcurrency"]!.GetValue<int>());
        var container = template["spec"]!["containers"]![0]!;
        Assert.Equal(StandInCluster.Image, container["image"]!.ToString());
        Assert.Equal(
            ["node", "/app/server.js"],
            container["command"]!.AsArray().Select(part => part!.ToString())
        );
        Assert.Equal(8080, container["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task TimelineHasEveryChangeWithServerTimes()
    {
        await using var cluster = new StandInCluster();
        await using var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);

        await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 4),
            CancellationToken.None
        );

        var timeline = Assert.Single(backend.Timelines);
        Assert.Equal(4, timeline.Sequence);
        Assert.Equal(KubernetesApiStandIn.NodeName, timeline.NodeName);
        Assert.StartsWith($"nodejs-hello-estargz-{backend.RunId}-00001-", timeline.PodName);
        string[] changes =
        [
            PodStartChange.Trigger,
            PodStartChange.PodCreated,
            PodStartChange.Scheduled,
            PodStartChange.Pulling,
            PodStartChange.Pulled,
            PodStartChange.Created,
            PodStartChange.Started,
            PodStartChange.Ready,
            PodStartChange.FirstByte,
            PodStartChange.ResponseEnd,
        ];
        foreach (var change in changes)
        {
            Assert.NotNull(timeline.Find(change));
        }

        // Changes made by the cluster carry its timestamp; the harness's own do not.
        Assert.NotNull(timeline.Find(PodStartChange.Scheduled)!.ServerTime);
        Assert.NotNull(timeline.Find(PodStartChange.Pulled)!.ServerTime);
        Assert.Null(timeline.Find(PodStartChange.FirstByte)!.ServerTime);
        Assert.StartsWith(
            "Successfully pulled image",
            timeline.Find(PodStartChange.Pulled)!.Detail
        );

        // Each watch delivers its changes in the order the script made them; the two
        // watches (pods, events) are not ordered against each other.
        AssertObservedInOrder(
            timeline,
            PodStartChange.Pulling,
            PodStartChange.Pulled,
            PodStartChange.Created,
            PodStartChange.Started
        );
        AssertObservedInOrder(
            timeline,
            PodStartChange.PodCreated,
            PodStartChange.Scheduled,
            PodStartChange.Ready
        );
    }

    [Fact(Timeout = TestTimeout)]
    public async Task ImagePullFailureGivesFailedSample()
    {
        await using var cluster = new StandInCluster(StandInScenario.ImagePullFailure);
        await using var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Failed, sample.Status);
        Assert.Contains($"Failed to pull image \"{StandInCluster.Image}\"", sample.Error);
        Assert.Contains("not found", sample.Error);
        Assert.Null(sample.PullMs);
        Assert.Null(sample.TotalMs);
        await backend.CleanUpAsync(CancellationToken.None);
        Assert.Empty(cluster.Api.Objects("services"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task FailedDeploymentFailsLaterSamplesAtOnce()
    {
        await using var cluster = new StandInCluster();
        cluster.Api.FailDeployments = true;
        await using var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);

        var first = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );
        var second = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 1),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Failed, first.Status);
        Assert.Contains("cannot become ready", first.Error);
        Assert.Contains("ImagePullBackOff: Back-off pulling image", first.Error);
        Assert.Equal(SampleStatus.Failed, second.Status);
        Assert.StartsWith(
            "Deploying nodejs-hello/estargz failed earlier in this run",
            second.Error
        );
        Assert.Single(cluster.Api.CreatedServices);
        Assert.Empty(cluster.Evictor.Evictions);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task ServiceNeverReadyTimesOut()
    {
        await using var cluster = new StandInCluster();
        cluster.Api.HoldDeployments = true;
        var timeouts = new TimeoutSettings
        {
            PullSeconds = 0.5,
            ReadySeconds = 0.5,
            RequestSeconds = 10,
        };
        await using var backend = cluster.CreateBackend(cluster.Experiment(timeouts));
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.Overlayfs, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.TimedOut, sample.Status);
        Assert.Contains("did not become ready within 1 s: Ready=Unknown; 1 pod(s)", sample.Error);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PodNeverReadyBecomesTimedOutSample()
    {
        await using var cluster = new StandInCluster(StandInScenario.NeverReady);
        var timeouts = new TimeoutSettings
        {
            PullSeconds = 10,
            ReadySeconds = 1,
            RequestSeconds = 10,
        };
        await using var backend = cluster.CreateBackend(cluster.Experiment(timeouts));
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.TimedOut, sample.Status);
        Assert.Contains("Timed out after 1 s waiting for the pod to become ready", sample.Error);
        Assert.Contains("ContainersNotReady", sample.Error);
        Assert.Contains("containers with unready status: [user-container]", sample.Error);
        Assert.Equal(1500, sample.PullMs);
        Assert.NotNull(sample.StartMs);
        Assert.Null(sample.ReadyMs);
        Assert.Null(sample.TotalMs);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task ForbiddenCreateNamesMissingPermission()
    {
        await using var cluster = new StandInCluster();
        cluster.Api.Forbidden[("create", "services")] = true;
        await using var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Failed, sample.Status);
        Assert.Contains("403 Forbidden", sample.Error);
        Assert.Contains(
            "Missing permission: verb \"create\" on resource \"services\" in API group "
                + "\"serving.knative.dev\" in namespace \"default\"",
            sample.Error
        );
        Assert.Contains("--verb=create --resource=services.serving.knative.dev", sample.Error);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task ForbiddenPodWatchNamesCoreGroupPermission()
    {
        await using var cluster = new StandInCluster();
        cluster.Api.Forbidden[("watch", "pods")] = true;
        await using var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Failed, sample.Status);
        Assert.Contains(
            "Missing permission: verb \"watch\" on resource \"pods\" in the core API group "
                + "in namespace \"default\"",
            sample.Error
        );
    }

    [Fact(Timeout = TestTimeout)]
    public async Task SampleFromOtherNodeIsMarked()
    {
        await using var cluster = new StandInCluster();
        var experiment = cluster.Experiment() with
        {
            Knative = cluster.Experiment().Knative! with { NodeName = "another-machine" },
        };
        await using var backend = cluster.CreateBackend(experiment);
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Ok, sample.Status);
        Assert.Contains("Note: the image was not evicted before this sample.", sample.Error);
        Assert.Contains($"Note: the pod ran on node {KubernetesApiStandIn.NodeName}", sample.Error);
        Assert.Null(sample.Snapshotter);
        Assert.Empty(cluster.Evictor.Evictions);
        Assert.Contains(cluster.Logs.Messages, message =>
            message.Message.StartsWith("This machine (another-machine) is not a node")
        );
    }

    [Fact(Timeout = TestTimeout)]
    public async Task DisposeDeletesServicesLeftByInterruptedRun()
    {
        await using var cluster = new StandInCluster();
        var backend = cluster.CreateBackend(cluster.Experiment());
        await backend.PrepareAsync(CancellationToken.None);
        await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.Overlayfs, sequence: 0),
            CancellationToken.None
        );
        Assert.Single(cluster.Api.Objects("services"));

        await backend.DisposeAsync();

        Assert.Empty(cluster.Api.Objects("services"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PrepareRejectsClusterWithoutKnativeServing()
    {
        await using var cluster = new StandInCluster();
        cluster.Api.ServingInstalled = false;
        await using var backend = cluster.CreateBackend(cluster.Experiment());

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            backend.PrepareAsync(CancellationToken.None)
        );

        Assert.Contains("Knative Serving is not installed", exception.Message);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PrepareSkipsVhiveSetupWhenClusterAnswers()
    {
        await using var cluster = new StandInCluster();
        var record = Path.Combine(cluster.Folder, "scripts-ran");
        var vhive = VhiveCheckout.Create(cluster.Folder, record, setupExitCode: 1);
        var experiment = cluster.Experiment() with
        {
            Knative = cluster.Experiment().Knative! with { VhivePath = vhive },
        };
        await using var backend = cluster.CreateBackend(experiment);

        await backend.PrepareAsync(CancellationToken.None);

        Assert.False(File.Exists(record));
        Assert.Contains(cluster.Logs.Messages, message =>
            message.Message.Contains("skipping vHive's node setup")
        );
    }

    [Fact(Timeout = TestTimeout)]
    public async Task KnApplyDeploysWithConcurrencyTarget()
    {
        await using var cluster = new StandInCluster();
        var record = Path.Combine(cluster.Folder, "kn-calls");
        var experiment = cluster.Experiment() with
        {
            Knative = cluster.Experiment().Knative! with { UseKn = true },
        };
        await using var backend = cluster.CreateBackend(experiment, cluster.WriteKnStandIn(record));
        await backend.PrepareAsync(CancellationToken.None);

        var sample = await backend.MeasureAsync(
            StandInCluster.Request(ImageVariant.EStargz, sequence: 0),
            CancellationToken.None
        );

        Assert.Equal(SampleStatus.Ok, sample.Status);
        var calls = File.ReadAllLines(record);
        Assert.Equal("version", calls[0]);
        var name = $"nodejs-hello-estargz-{backend.RunId}";
        Assert.Matches(
            $"^service apply {name} -f /\\S+\\.yaml --concurrency-target 1 -n default "
                + $"--no-wait --kubeconfig {cluster.Kubeconfig}$",
            calls[1]
        );
        var created = Assert.Single(cluster.Api.CreatedServices);
        Assert.Equal(name, created["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task PrepareRejectsMissingIngress()
    {
        var experiment = new Experiment
        {
            Name = "no-ingress",
            Workloads = ["nodejs-hello"],
            Variants = [ImageVariant.EStargz],
            Backend = "knative",
            Knative = new KnativeSettings(),
        };
        await using var backend = new KnativeBackend(
            experiment,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance
        );

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            backend.PrepareAsync(CancellationToken.None)
        );

        Assert.Contains("expected host:port of the Knative ingress gateway", exception.Message);
    }

    private static void AssertObservedInOrder(PodStartTimeline timeline, params string[] changes)
    {
        var elapsed = changes.Select(change => timeline.Find(change)!.ElapsedMs).ToList();
        Assert.Equal(elapsed.Order(), elapsed);
    }
}
