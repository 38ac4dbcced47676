using Harness.Images;
using Harness.Measurement;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Knative;

/// <summary>One cold start: scale to zero, eviction, trigger and observation.</summary>
public sealed partial class KnativeBackend
{
    /// <inheritdoc/>
    public async Task<ColdStartSample> MeasureAsync(
        ColdStartRequest request,
        CancellationToken cancellationToken
    )
    {
        var sample = new ColdStartSample
        {
            Workload = request.Workload.Name,
            Variant = request.Variant.ToName(),
            Repetition = request.Repetition,
            Warmup = request.Warmup,
            Status = SampleStatus.Ok,
            ImageBytes = request.ImageBytes > 0 ? request.ImageBytes : null,
            Sequence = request.Sequence,
            StartedAt = DateTimeOffset.UtcNow,
        };

        try
        {
            return await MeasureDeployedAsync(request, sample, cancellationToken);
        }
        catch (KnativeSampleFailure failure)
        {
            return sample with { Status = failure.Status, Error = failure.Message };
        }
        catch (HttpOperationException exception)
        {
            return sample with
            {
                Status = SampleStatus.Failed,
                Error = KubernetesApiError.Describe(exception),
            };
        }
        catch (KubernetesException exception)
        {
            return sample with
            {
                Status = SampleStatus.Failed,
                Error = KubernetesApiError.Describe(exception, "follow the pod's start"),
            };
        }
        catch (HttpRequestException exception)
            when (exception.HttpRequestError
                    is HttpRequestError.ConnectionError
                        or HttpRequestError.NameResolutionError
            )
        {
            // Without the API server no later sample can run either.
            throw new HarnessException(
                $"Lost the connection to the Kubernetes API server: {exception.Message}. "
                    + "Check that the cluster is running, then run the experiment again.",
                exception
            );
        }
    }

    private async Task<ColdStartSample> MeasureDeployedAsync(
        ColdStartRequest request,
        ColdStartSample sample,
        CancellationToken cancellationToken
    )
    {
        var service = await DeployAsync(request, cancellationToken);
        await WaitForScaleToZeroAsync(service, cancellationToken);

        var notes = new List<string>();
        if (evictionPossible)
        {
            await Evictor.EvictAsync(request.ImageReference, cancellationToken);
        }
        else
        {
            notes.Add("the image was not evicted before this sample");
        }

        var trial = new ColdStartTrial(
            Client,
            ingress!,
            experiment.Timeouts,
            settings.Namespace,
            logger
        );
        var outcome = await trial.RunAsync(
            service,
            request.Workload.TriggerPath,
            request.Sequence,
            cancellationToken
        );
        var timeline = outcome.Timeline;
        lock (timelines)
        {
            timelines.Add(timeline);
        }

        var ranHere =
            timeline.NodeName is null
            || string.Equals(timeline.NodeName, localNodeName, StringComparison.OrdinalIgnoreCase);
        if (!ranHere)
        {
            notes.Add(
                $"the pod ran on node {timeline.NodeName}, where the harness cannot "
                    + "evict images or read the snapshotter"
            );
        }

        if (timeline.PullReport is { AlreadyPresent: true })
        {
            notes.Add("kubelet found the image already present, so nothing was pulled");
        }

        var measured = KnativePhases.Apply(sample, timeline) with
        {
            Status = outcome.Status,
            Snapshotter = ranHere ? snapshotter : null,
            StartedAt = timeline.Find(PodStartChange.Trigger)?.ObservedAt ?? sample.StartedAt,
        };
        var error = outcome.Error;
        if (notes.Count > 0)
        {
            // A sample that ran but may not be a true cold start keeps status ok and explains
            // why in the error column, so summaries can leave it out.
            error = string.Join(
                " ",
                new[] { error }
                    .Concat(notes.Select(note => $"Note: {note}."))
                    .Where(part => part is not null)
            );
        }

        LogSample(request, measured, timeline);
        return measured with { Error = error };
    }

    private async Task WaitForScaleToZeroAsync(
        DeployedService service,
        CancellationToken cancellationToken
    )
    {
        var limit = TimeSpan.FromSeconds(settings.ScaleToZeroSeconds);
        var deadline = DateTimeOffset.UtcNow + limit;
        var selector = $"{KnativeLabels.KnativeService}={service.Name}";
        var logged = false;
        while (true)
        {
            var pods = await Client.CoreV1.ListNamespacedPodAsync(
                settings.Namespace,
                labelSelector: selector,
                cancellationToken: cancellationToken
            );

            // Terminating pods count: their containers may still hold the image's snapshots.
            if (pods.Items.Count == 0)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new KnativeSampleFailure(
                    SampleStatus.TimedOut,
                    $"Service {service.Name} still had {pods.Items.Count} pod(s) after "
                        + $"{limit.TotalSeconds:0.###} s, so no cold start was possible. Knative "
                        + "removes idle pods after the stable window "
                        + "(autoscaling.knative.dev/window) and the scale-to-zero grace period; "
                        + "raise \"scaleToZeroSeconds\" or check that nothing else sends it "
                        + "requests."
                );
            }

            if (!logged)
            {
                logger.LogInformation(
                    "Waiting for {Service} to scale to zero ({Count} pod(s) left)",
                    service.Name,
                    pods.Items.Count
                );
                logged = true;
            }

            await Task.Delay(ServicePollInterval, cancellationToken);
        }
    }

    private void LogSample(
        ColdStartRequest request,
        ColdStartSample sample,
        PodStartTimeline timeline
    )
    {
        // The part of total before kubelet's Pulling event belongs to no phase.
        var parts =
            sample.PullMs
            + sample.CreateMs
            + sample.StartMs
            + sample.ReadyMs
            + sample.FirstResponseMs;
        logger.LogInformation(
            "Cold start {Workload} ({Variant}) {Sequence}: {Status}, total {Total} ms (pull "
                + "{Pull}, create {Create}, start {Start}, ready {Ready}, first_response {First}, "
                + "outside phases {Gap:F1})",
            request.Workload.Name,
            sample.Variant,
            request.Sequence,
            sample.Status,
            sample.TotalMs,
            sample.PullMs,
            sample.CreateMs,
            sample.StartMs,
            sample.ReadyMs,
            sample.FirstResponseMs,
            sample.TotalMs - parts
        );
        foreach (var observation in timeline.Observations)
        {
            logger.LogDebug(
                "  {Change} at +{Elapsed:F1} ms (server time {ServerTime:O}) {Detail}",
                observation.Change,
                observation.ElapsedMs,
                observation.ServerTime,
                observation.Detail
            );
        }
    }
}
