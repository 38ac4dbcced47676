using System.Net;
using System.Text.Json;
using Harness.Images;
using Harness.Measurement;
using Harness.Processes;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Knative;

/// <summary>Deployment of the run's Knative Services.</summary>
public sealed partial class KnativeBackend
{
    private static readonly TimeSpan ServicePollInterval = TimeSpan.FromMilliseconds(250);

    private KnativeServiceTemplate Templates =>
        new(
            settings.Templates
                ?? Path.Combine(HarnessPaths.RepositoryRoot, "configs", "knative_workloads")
        );

    // Deploys the service of a workload and variant once per run and waits until Knative
    // reports it ready. A failed deployment fails every later sample of the pair at once.
    private async Task<DeployedService> DeployAsync(
        ColdStartRequest request,
        CancellationToken cancellationToken
    )
    {
        var key = $"{request.Workload.Name}/{request.Variant.ToName()}";
        lock (deployed)
        {
            if (
                deployed.TryGetValue(key, out var existing)
                && existing.ImageReference == request.ImageReference
            )
            {
                return existing;
            }

            if (deployFailures.TryGetValue(key, out var earlier))
            {
                throw new KnativeSampleFailure(
                    SampleStatus.Failed,
                    $"Deploying {key} failed earlier in this run: {earlier}"
                );
            }
        }

        var manifest = Templates.Render(
            request.Workload,
            request.Variant,
            request.ImageReference,
            settings.Namespace,
            RunId
        );
        logger.LogInformation(
            "Deploying Knative service {Service} ({Image}) from {Template}",
            manifest.Name,
            request.ImageReference,
            Path.GetFileName(manifest.TemplatePath)
        );
        try
        {
            servicesCreated = true;
            if (settings.UseKn)
            {
                await ApplyWithKnAsync(manifest, cancellationToken);
            }
            else
            {
                await CreateOrReplaceAsync(manifest, cancellationToken);
            }

            var host = await WaitForServiceReadyAsync(manifest, cancellationToken);
            var service = new DeployedService(
                manifest.Name,
                host,
                manifest.ContainerName,
                request.ImageReference
            );
            lock (deployed)
            {
                deployed[key] = service;
            }

            logger.LogInformation("Service {Service} is ready at {Host}", manifest.Name, host);
            return service;
        }
        catch (KnativeSampleFailure failure)
        {
            lock (deployed)
            {
                deployFailures[key] = failure.Message;
            }

            throw;
        }
    }

    private async Task CreateOrReplaceAsync(
        KnativeServiceManifest manifest,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
                manifest.Body,
                ServingGroup,
                ServingVersion,
                settings.Namespace,
                ServicesPlural,
                cancellationToken: cancellationToken
            );
        }
        catch (HttpOperationException exception)
            when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // The run's service exists with an older image: replace it at its current version.
            var current = (JsonElement)
                await Client.CustomObjects.GetNamespacedCustomObjectAsync(
                    ServingGroup,
                    ServingVersion,
                    settings.Namespace,
                    ServicesPlural,
                    manifest.Name,
                    cancellationToken
                );
            var body = manifest.Body.DeepClone().AsObject();
            body["metadata"]!["resourceVersion"] = current
                .GetProperty("metadata")
                .GetProperty("resourceVersion")
                .GetString();
            await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
                body,
                ServingGroup,
                ServingVersion,
                settings.Namespace,
                ServicesPlural,
                manifest.Name,
                cancellationToken: cancellationToken
            );
        }
    }

    // kn reads the same kubeconfig; --no-wait leaves the readiness wait to the backend, so
    // both deployment paths report failures the same way.
    private async Task ApplyWithKnAsync(
        KnativeServiceManifest manifest,
        CancellationToken cancellationToken
    )
    {
        var file = Path.Combine(Path.GetTempPath(), $"harness-{manifest.Name}.yaml");
        await File.WriteAllTextAsync(file, manifest.Body.ToJsonString(), cancellationToken);
        try
        {
            List<string> arguments =
            [
                "service",
                "apply",
                manifest.Name,
                "-f",
                file,
                "--concurrency-target",
                "1",
                "-n",
                settings.Namespace,
                "--no-wait",
            ];
            if (settings.Kubeconfig is not null)
            {
                arguments.AddRange(["--kubeconfig", ResolveKubeconfig()]);
            }

            if (settings.Context is not null)
            {
                arguments.AddRange(["--context", settings.Context]);
            }

            var result = await ProcessRunner.TryRunAsync(KnProgram, arguments, cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new KnativeSampleFailure(
                    SampleStatus.Failed,
                    new ExternalCommandException(
                        KnProgram,
                        arguments,
                        result.ExitCode,
                        result.StandardError
                    ).Message
                );
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<string> WaitForServiceReadyAsync(
        KnativeServiceManifest manifest,
        CancellationToken cancellationToken
    )
    {
        // The first revision starts one pod right away, which pulls the image, so the limit
        // covers a pull and a start.
        var limit = TimeSpan.FromSeconds(
            experiment.Timeouts.PullSeconds + experiment.Timeouts.ReadySeconds
        );
        var deadline = DateTimeOffset.UtcNow + limit;
        var selector = $"{KnativeLabels.KnativeService}={manifest.Name}";
        while (true)
        {
            var service = (JsonElement)
                await Client.CustomObjects.GetNamespacedCustomObjectAsync(
                    ServingGroup,
                    ServingVersion,
                    settings.Namespace,
                    ServicesPlural,
                    manifest.Name,
                    cancellationToken
                );
            var status = KnativeServiceStatus.Read(service);
            if (status is { UpToDate: true, Ready: "True", Host: { } host })
            {
                return host;
            }

            if (status is { UpToDate: true, Ready: "False" })
            {
                throw new KnativeSampleFailure(
                    SampleStatus.Failed,
                    $"Knative reports service {manifest.Name} as not ready: "
                        + $"{status.Reason}: {status.Message}"
                );
            }

            var pods = await Client.CoreV1.ListNamespacedPodAsync(
                settings.Namespace,
                labelSelector: selector,
                cancellationToken: cancellationToken
            );
            foreach (var pod in pods.Items)
            {
                if (PodStartRecorder.DescribeFatalWaiting(pod, manifest.ContainerName) is { } why)
                {
                    throw new KnativeSampleFailure(
                        SampleStatus.Failed,
                        $"Service {manifest.Name} cannot become ready: {why}"
                    );
                }
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new KnativeSampleFailure(
                    SampleStatus.TimedOut,
                    $"Service {manifest.Name} did not become ready within "
                        + $"{limit.TotalSeconds:0.###} s: Ready={status.Ready ?? "(none yet)"}"
                        + (status.Reason is null ? "" : $" ({status.Reason}: {status.Message})")
                        + $"; {pods.Items.Count} pod(s)."
                );
            }

            await Task.Delay(ServicePollInterval, cancellationToken);
        }
    }

    private IKubernetes Client =>
        client
        ?? throw new InvalidOperationException(
            "PrepareAsync must run before the backend measures or cleans up."
        );
}
