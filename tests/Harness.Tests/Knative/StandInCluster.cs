using Harness.Backends;
using Harness.Backends.Knative;
using Harness.Experiments;
using Harness.Images;
using Harness.Workloads;
using Microsoft.Extensions.Logging;

namespace Harness.Tests.Knative;

/// <summary>
/// The stand-in API server, ingress and function together, with a temporary folder holding the
/// kubeconfig and a containerd config that selects the stargz snapshotter, as vHive's does.
/// </summary>
internal sealed class StandInCluster : IAsyncDisposable
{
    public const string Image =
        "127.0.0.1:5000/nodejs-hello@sha256:"
        + "4a5f2c3b1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

    public StandInCluster(StandInScenario scenario = StandInScenario.HappyPath)
    {
        Folder = Directory.CreateTempSubdirectory("harness-knative-").FullName;
        Api = new KubernetesApiStandIn(scenario);
        Function = new FunctionStandIn();
        Ingress = new IngressStandIn(Api, Function);
        Kubeconfig = Api.WriteKubeconfig(Folder);
        ContainerdConfig = Path.Combine(Folder, "config.toml");
        File.WriteAllText(
            ContainerdConfig,
            """
            version = 2

            [plugins."io.containerd.grpc.v1.cri".containerd]
              snapshotter = "stargz"
              disable_snapshot_annotations = false

            [proxy_plugins]
              [proxy_plugins.stargz]
                type = "snapshot"
                address = "/run/containerd-stargz-grpc/containerd-stargz-grpc.sock"
            """
        );
        Evictor = new RecordingImageEvictor(() => Api.Objects("pods").Count);
    }

    public string Folder { get; }
    public KubernetesApiStandIn Api { get; }
    public FunctionStandIn Function { get; }
    public IngressStandIn Ingress { get; }
    public string Kubeconfig { get; }
    public string ContainerdConfig { get; }
    public RecordingImageEvictor Evictor { get; }
    public RecordingLoggerProvider Logs { get; } = new();

    public static WorkloadManifest Workload { get; } =
        new()
        {
            Name = "nodejs-hello",
            Entrypoint = ["node", "/app/server.js"],
            Port = 8080,
            TriggerPath = "/hello",
        };

    /// <summary>An experiment that points the Knative backend at the stand-ins.</summary>
    public Experiment Experiment(TimeoutSettings? timeouts = null) =>
        new()
        {
            Name = "knative-stand-in",
            Workloads = [Workload.Name],
            Variants = [ImageVariant.EStargz, ImageVariant.Overlayfs],
            Repetitions = 1,
            Warmup = 0,
            Backend = "knative",
            Timeouts = timeouts
                ?? new TimeoutSettings
                {
                    PullSeconds = 10,
                    ReadySeconds = 10,
                    RequestSeconds = 10,
                },
            Knative = new KnativeSettings
            {
                Kubeconfig = Kubeconfig,
                Namespace = KubernetesApiStandIn.Namespace,
                Ingress = $"127.0.0.1:{Ingress.Port}",
                NodeName = KubernetesApiStandIn.NodeName,
                ContainerdConfig = ContainerdConfig,
                ScaleToZeroSeconds = 10,
            },
        };

    public KnativeBackend CreateBackend(Experiment experiment, string knProgram = "kn") =>
        new(experiment, LoggerFactory.Create(builder => builder.AddProvider(Logs)), Evictor)
        {
            KnProgram = knProgram,
        };

    /// <summary>
    /// Writes a stand-in for <c>kn</c> that records its arguments and, for <c>service
    /// apply</c>, posts the file given with <c>-f</c> to the API stand-in over bash's
    /// <c>/dev/tcp</c>, as kn would create the service.
    /// </summary>
    public string WriteKnStandIn(string recordPath) =>
        VhiveCheckout.WriteExecutable(
            Path.Combine(Folder, "bin", "kn"),
            $$"""
            echo "$*" >> '{{recordPath}}'
            if [ "$1" = "version" ]; then echo "Version: stand-in"; exit 0; fi
            file=""; previous=""
            for argument in "$@"; do
                if [ "$previous" = "-f" ]; then file="$argument"; fi
                previous="$argument"
            done
            body="$(cat "$file")"
            exec 3<>/dev/tcp/127.0.0.1/{{Api.Port}}
            request="POST /apis/serving.knative.dev/v1/namespaces/default/services HTTP/1.1"
            printf '%s\r\nHost: 127.0.0.1:{{Api.Port}}\r\n' "$request" >&3
            printf 'Content-Type: application/json\r\nContent-Length: %d\r\n' "${#body}" >&3
            printf 'Connection: close\r\n\r\n%s' "$body" >&3
            cat <&3 > /dev/null
            echo "Service '$3' created to latest revision"

            """,
            shell: "/bin/bash"
        );

    public static ColdStartRequest Request(
        ImageVariant variant,
        int sequence,
        int repetition = 0
    ) =>
        new()
        {
            Workload = Workload,
            Variant = variant,
            ImageReference = Image,
            ImageBytes = 41_943_040,
            Repetition = repetition,
            Warmup = false,
            Sequence = sequence,
        };

    public async ValueTask DisposeAsync()
    {
        await Ingress.DisposeAsync();
        await Function.DisposeAsync();
        await Api.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
