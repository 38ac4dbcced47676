using System.Net;
using System.Security.Cryptography;
using Harness.Experiments;
using Harness.Measurement;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Knative;

/// <summary>
/// Runs cold starts on a Kubernetes cluster with Knative Serving. Each workload and variant
/// gets one Knative Service at concurrency 1. Before each sample the service scales to zero
/// and the image is evicted from the node. A request through the ingress then wakes the
/// service while watches follow the pod's start.
/// </summary>
public sealed partial class KnativeBackend : IColdStartBackend
{
    /// <summary>Group, version and plural of Knative Services in the Kubernetes API.</summary>
    public const string ServingGroup = "serving.knative.dev";

    public const string ServingVersion = "v1";
    public const string ServicesPlural = "services";

    private readonly Experiment experiment;
    private readonly KnativeSettings settings;
    private readonly ILogger logger;
    private readonly ILoggerFactory loggerFactory;
    private IImageEvictor? imageEvictor;
    private readonly List<PodStartTimeline> timelines = [];
    private readonly Dictionary<string, DeployedService> deployed = [];
    private readonly Dictionary<string, string> deployFailures = [];
    private IKubernetes? client;
    private IngressClient? ingress;
    private string? snapshotter;
    private bool evictionPossible;
    private string? localNodeName;
    private bool servicesCreated;

    /// <summary>Creates the backend for <paramref name="experiment"/>, whose
    /// <see cref="Experiment.Knative"/> section names the cluster.
    /// <paramref name="imageEvictor"/> replaces the containerd eviction, for tests.</summary>
    public KnativeBackend(
        Experiment experiment,
        ILoggerFactory loggerFactory,
        IImageEvictor? imageEvictor = null
    )
    {
        this.experiment = experiment;
        settings = experiment.Knative ?? new KnativeSettings();
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<KnativeBackend>();
        this.imageEvictor = imageEvictor;
        RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    }

    public string Name => "knative";

    /// <summary>Id of this run, in the names and the <see cref="KnativeLabels.Run"/> label of
    /// every service it creates.</summary>
    public string RunId { get; }

    /// <summary>Program run for <c>kn</c> when <see cref="KnativeSettings.UseKn"/> is set.
    /// </summary>
    public string KnProgram { get; init; } = "kn";

    /// <summary>Setup that runs instead of vHive's scripts; null builds one from
    /// <see cref="KnativeSettings.VhivePath"/>.</summary>
    public VhiveNodeSetup? NodeSetup { get; init; }

    /// <summary>What was observed during each cold start so far, in the order they ran.
    /// </summary>
    public IReadOnlyList<PodStartTimeline> Timelines
    {
        get
        {
            lock (timelines)
            {
                return timelines.ToList();
            }
        }
    }

    /// <inheritdoc/>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (experiment.Knative is null)
        {
            throw new HarnessException(
                "The experiment uses the knative backend but has no \"knative\" section. Add "
                    + "one with at least \"ingress\" (host:port of the Knative ingress gateway)."
            );
        }

        IngressClient.ParseAddress(settings.Ingress);
        var kubeconfig = ResolveKubeconfig();
        if (settings.VhivePath is not null)
        {
            await SetUpNodeUnlessClusterAnswersAsync(kubeconfig, cancellationToken);
        }

        client = CreateClient(kubeconfig);
        await CheckClusterAsync(client, kubeconfig, cancellationToken);
        await CheckNodeAsync(client, cancellationToken);
        if (settings.UseKn)
        {
            await Processes.ProcessRunner.RunAsync(KnProgram, ["version"], cancellationToken);
        }

        ingress = new IngressClient(settings.Ingress!);
    }

    /// <inheritdoc/>
    public async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        if (client is null || !servicesCreated)
        {
            return;
        }

        var selector = $"{KnativeLabels.Run}={RunId}";
        try
        {
            await client.CustomObjects.DeleteCollectionNamespacedCustomObjectAsync(
                ServingGroup,
                ServingVersion,
                settings.Namespace,
                ServicesPlural,
                labelSelector: selector,
                cancellationToken: cancellationToken
            );
        }
        catch (HttpOperationException exception)
        {
            throw new HarnessException(
                KubernetesApiError.Describe(exception, $"delete the services labelled {selector}")
                    + " Delete them by hand: "
                    + $"kubectl delete ksvc -n {settings.Namespace} -l {selector}",
                exception
            );
        }
        catch (HttpRequestException exception)
        {
            throw new HarnessException(
                $"Could not reach the Kubernetes API to delete the services labelled {selector}: "
                    + $"{exception.Message}. Delete them by hand: kubectl delete ksvc -n "
                    + $"{settings.Namespace} -l {selector}",
                exception
            );
        }

        servicesCreated = false;
        lock (deployed)
        {
            deployed.Clear();
            deployFailures.Clear();
        }

        logger.LogInformation(
            "Deleted the Knative services labelled {Selector} in namespace {Namespace}",
            selector,
            settings.Namespace
        );
    }

    /// <summary>Deletes the run's services if <see cref="CleanUpAsync"/> did not, such as
    /// after Ctrl-C, then releases the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        if (servicesCreated)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await CleanUpAsync(timeout.Token);
            }
            catch (Exception exception)
                when (exception is HarnessException or OperationCanceledException)
            {
                logger.LogWarning(
                    "Could not delete the run's Knative services: {Message} They stay in the "
                        + "cluster; delete them with: "
                        + "kubectl delete ksvc -n {Namespace} -l {Selector}",
                    exception.Message,
                    settings.Namespace,
                    $"{KnativeLabels.Run}={RunId}"
                );
            }
        }

        ingress?.Dispose();
        client?.Dispose();
    }

    private string ResolveKubeconfig()
    {
        var path = settings.Kubeconfig
            ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':')[0];
        if (string.IsNullOrEmpty(path))
        {
            path = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ".kube",
                "config"
            );
        }

        return Path.GetFullPath(path);
    }

    private IKubernetes CreateClient(string kubeconfig)
    {
        if (!File.Exists(kubeconfig))
        {
            throw new HarnessException(
                $"The kubeconfig {kubeconfig} does not exist. Set \"kubeconfig\" in the "
                    + "experiment's knative section, or name a vHive checkout in \"vhivePath\" to "
                    + "create a single-node cluster (its setup writes ~/.kube/config)."
            );
        }

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(
                kubeconfig,
                settings.Context
            );
        }
        catch (KubeConfigException exception)
        {
            throw new HarnessException(
                $"Could not use the kubeconfig {kubeconfig}"
                    + (settings.Context is null ? "" : $" with context {settings.Context}")
                    + $": {exception.Message}. Check the file and the \"context\" setting.",
                exception
            );
        }

        // The client's default timeout (100 s) bounds plain calls against a hung API server.
        // A watch cut by it is reopened from its last resourceVersion.
        return new Kubernetes(configuration);
    }

    private async Task SetUpNodeUnlessClusterAnswersAsync(
        string kubeconfig,
        CancellationToken cancellationToken
    )
    {
        if (File.Exists(kubeconfig))
        {
            using var probe = CreateClient(kubeconfig);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                var version = await probe.Version.GetCodeAsync(timeout.Token);
                logger.LogInformation(
                    "The cluster in {Kubeconfig} responds (Kubernetes {Version}); skipping "
                        + "vHive's node setup",
                    kubeconfig,
                    version.GitVersion
                );
                return;
            }
            catch (Exception exception)
                when (exception
                        is HttpRequestException
                            or HttpOperationException
                            or OperationCanceledException
                    && !cancellationToken.IsCancellationRequested
                )
            {
                logger.LogInformation(
                    "No cluster responds at {Kubeconfig} ({Message}); running vHive's node setup",
                    kubeconfig,
                    exception.Message
                );
            }
        }

        var setup = NodeSetup
            ?? new VhiveNodeSetup(
                settings.VhivePath!,
                loggerFactory.CreateLogger<VhiveNodeSetup>()
            );
        await setup.RunAsync(cancellationToken);
    }

    private async Task CheckClusterAsync(
        IKubernetes cluster,
        string kubeconfig,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var version = await cluster.Version.GetCodeAsync(cancellationToken);
            logger.LogInformation(
                "Using Kubernetes {Version} at {Host}, namespace {Namespace}",
                version.GitVersion,
                ((Kubernetes)cluster).BaseUri,
                settings.Namespace
            );
            await cluster.CustomObjects.GetAPIResourcesAsync(
                ServingGroup,
                ServingVersion,
                cancellationToken
            );
        }
        catch (HttpOperationException exception)
            when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new HarnessException(
                $"The cluster in {kubeconfig} has no {ServingGroup}/{ServingVersion} API: "
                    + "Knative Serving is not installed. Install it (vHive's "
                    + "create_one_node_cluster.sh does), then run again.",
                exception
            );
        }
        catch (HttpOperationException exception)
        {
            throw new HarnessException(
                KubernetesApiError.Describe(exception, "read the cluster's version and APIs"),
                exception
            );
        }
        catch (HttpRequestException exception)
        {
            throw new HarnessException(
                $"Could not reach the Kubernetes API server named in {kubeconfig}: "
                    + $"{exception.Message}. Check that the cluster is running and the context is "
                    + "right.",
                exception
            );
        }
    }

    private async Task CheckNodeAsync(IKubernetes cluster, CancellationToken cancellationToken)
    {
        var nodeName = (settings.NodeName ?? Environment.MachineName).ToLowerInvariant();
        IReadOnlyList<string> nodes;
        try
        {
            var list = await cluster.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
            nodes = list.Items.Select(node => node.Metadata.Name).ToList();
        }
        catch (HttpOperationException exception)
        {
            logger.LogWarning(
                "Could not list the cluster's nodes ({Message}); assuming this machine is its "
                    + "only node {Node}",
                KubernetesApiError.Describe(exception, "list nodes"),
                nodeName
            );
            nodes = [nodeName];
        }

        var onNode = nodes.Contains(nodeName);
        if (!onNode)
        {
            logger.LogWarning(
                "This machine ({Node}) is not a node of the cluster (nodes: {Nodes}); images "
                    + "cannot be evicted, so samples may start with a cached image and are marked. "
                    + "Run the harness on the node, or set \"nodeName\" if its name differs.",
                nodeName,
                string.Join(", ", nodes)
            );
        }
        else if (nodes.Count > 1)
        {
            logger.LogWarning(
                "The cluster has {Count} nodes; the harness evicts images only on this one "
                    + "({Node}). Samples whose pod runs elsewhere are marked as not evicted. "
                    + "Evicting on every node needs a privileged DaemonSet or access to each node.",
                nodes.Count,
                nodeName
            );
        }

        localNodeName = nodeName;
        evictionPossible = onNode && settings.EvictImages;
        if (onNode)
        {
            snapshotter = ContainerdSnapshotterConfig.ReadSnapshotter(settings.ContainerdConfig);
            logger.LogInformation(
                "containerd on {Node} serves pods with the {Snapshotter} snapshotter ({Config})",
                nodeName,
                snapshotter ?? "unknown",
                settings.ContainerdConfig
            );
        }

        if (evictionPossible)
        {
            await Evictor.CheckAsync(cancellationToken);
        }
        else if (!settings.EvictImages)
        {
            logger.LogWarning(
                "Image eviction is off (\"evictImages\": false): pods start with whatever "
                    + "the node caches, so samples are not true cold starts."
            );
        }
    }

    private IImageEvictor Evictor =>
        imageEvictor ??= new ContainerdImageEvictor(
            settings.StargzRoot,
            loggerFactory.CreateLogger<ContainerdImageEvictor>()
        );
}
