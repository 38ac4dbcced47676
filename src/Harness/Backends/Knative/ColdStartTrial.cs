using Harness.Experiments;
using Harness.Measurement;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Knative;

/// <summary>
/// Runs one cold start of a service that has scaled to zero. Opens pod and event watches,
/// sends the triggering request through the ingress, and follows the new pod. Ends when the
/// response arrives, the pod fails, or a phase runs past its time limit.
/// </summary>
internal sealed class ColdStartTrial
{
    /// <summary>How long to wait after the response for watch updates still on their way.
    /// </summary>
    public static readonly TimeSpan LateObservationWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FailedEventWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ReopenDelay = TimeSpan.FromMilliseconds(100);

    private static readonly string[] ExpectedChanges =
    [
        PodStartChange.Pulled,
        PodStartChange.Created,
        PodStartChange.Started,
        PodStartChange.Ready,
    ];

    private readonly IKubernetes client;
    private readonly IngressClient ingress;
    private readonly TimeoutSettings timeouts;
    private readonly string namespaceName;
    private readonly ILogger logger;

    public ColdStartTrial(
        IKubernetes client,
        IngressClient ingress,
        TimeoutSettings timeouts,
        string namespaceName,
        ILogger logger
    )
    {
        this.client = client;
        this.ingress = ingress;
        this.timeouts = timeouts;
        this.namespaceName = namespaceName;
        this.logger = logger;
    }

    /// <summary>Runs the cold start of <paramref name="service"/> and returns its outcome.
    /// API errors (such as 403) propagate as <see cref="HttpOperationException"/>.</summary>
    public async Task<ColdStartOutcome> RunAsync(
        DeployedService service,
        string triggerPath,
        int sequence,
        CancellationToken cancellationToken
    )
    {
        var selector = $"{KnativeLabels.KnativeService}={service.Name}";
        var pods = await client.CoreV1.ListNamespacedPodAsync(
            namespaceName,
            labelSelector: selector,
            cancellationToken: cancellationToken
        );
        var events = await client.CoreV1.ListNamespacedEventAsync(
            namespaceName,
            limit: 1,
            cancellationToken: cancellationToken
        );

        var recorder = new PodStartRecorder(service.ContainerName);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var podWatch = WatchPodsAsync(
            selector,
            pods.Metadata.ResourceVersion,
            recorder,
            watching.Token
        );
        var eventWatch = WatchEventsAsync(
            events.Metadata.ResourceVersion,
            recorder,
            watching.Token
        );

        try
        {
            // The watches start from the lists' resourceVersions, so changes made before their
            // streams are open still arrive; the trigger need not wait for them.
            recorder.MarkTrigger();
            var request = ingress.SendAsync(
                service.Host,
                triggerPath,
                () => recorder.Record(PodStartChange.FirstByte),
                watching.Token
            );

            var (status, error) = await FollowAsync(
                request,
                recorder,
                [podWatch, eventWatch],
                cancellationToken
            );
            if (status == SampleStatus.Ok)
            {
                await WaitForLateObservationsAsync(recorder, cancellationToken);
            }

            return new ColdStartOutcome(status, error, recorder.ToTimeline(sequence, service.Name));
        }
        finally
        {
            await watching.CancelAsync();
            try
            {
                await Task.WhenAll(podWatch, eventWatch);
            }
            catch (Exception exception)
                when (exception
                        is HttpOperationException
                            or HttpRequestException
                            or KubernetesException
                )
            {
                // Already reported through the trial's outcome, or raised after it ended.
                logger.LogDebug(exception, "Watch ended with an error after the cold start");
            }
        }
    }

    private async Task<(string Status, string? Error)> FollowAsync(
        Task<IngressResponse> request,
        PodStartRecorder recorder,
        Task[] watches,
        CancellationToken cancellationToken
    )
    {
        while (!request.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (recorder.Failure.IsCompleted)
            {
                // kubelet's Failed event names the image and the cause better than the pod
                // status does, and usually follows it within a second.
                var until = recorder.ElapsedMs + FailedEventWait.TotalMilliseconds;
                while (!recorder.HasFailedEvent && recorder.ElapsedMs < until)
                {
                    await Task.Delay(PollInterval, cancellationToken);
                }

                return (SampleStatus.Failed, recorder.DescribeFailure());
            }

            if (watches.FirstOrDefault(watch => watch.IsFaulted) is { } failed)
            {
                // Rethrows the watch's exception, such as a 403 from the API server.
                await failed;
            }

            var (deadlineMs, waitingFor, limitSeconds) = CurrentDeadline(recorder);
            if (recorder.ElapsedMs > deadlineMs)
            {
                return (
                    SampleStatus.TimedOut,
                    $"Timed out after {limitSeconds:0.###} s waiting for {waitingFor}: "
                        + recorder.DescribeState()
                );
            }

            await Task.WhenAny(
                request,
                recorder.Failure,
                Task.Delay(PollInterval, cancellationToken)
            );
        }

        IngressResponse response;
        try
        {
            response = await request;
        }
        catch (HttpRequestException exception)
        {
            return (
                SampleStatus.Failed,
                $"The request through the ingress failed: {exception.Message}"
            );
        }

        recorder.Record(PodStartChange.ResponseEnd, response.StatusCode.ToString());
        if (!response.IsSuccess)
        {
            return (
                SampleStatus.Failed,
                $"The function answered HTTP {response.StatusCode}: {response.Body.Trim()}"
            );
        }

        return (SampleStatus.Ok, null);
    }

    // Each phase gets its own limit, counted from the end of the phase before it.
    private (double DeadlineMs, string WaitingFor, double LimitSeconds) CurrentDeadline(
        PodStartRecorder recorder
    )
    {
        if (recorder.Find(PodStartChange.Ready) is { } ready)
        {
            return (
                ready.ElapsedMs + timeouts.RequestSeconds * 1000,
                "the function's response",
                timeouts.RequestSeconds
            );
        }

        if (recorder.Find(PodStartChange.Pulled) is { } pulled)
        {
            return (
                pulled.ElapsedMs + timeouts.ReadySeconds * 1000,
                "the pod to become ready",
                timeouts.ReadySeconds
            );
        }

        return (timeouts.PullSeconds * 1000, "the image pull", timeouts.PullSeconds);
    }

    private static async Task WaitForLateObservationsAsync(
        PodStartRecorder recorder,
        CancellationToken cancellationToken
    )
    {
        var until = recorder.ElapsedMs + LateObservationWait.TotalMilliseconds;
        while (
            recorder.ElapsedMs < until
            && ExpectedChanges.Any(change => recorder.Find(change) is null)
        )
        {
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task WatchPodsAsync(
        string selector,
        string resourceVersion,
        PodStartRecorder recorder,
        CancellationToken cancellationToken
    )
    {
        var version = resourceVersion;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (
                    var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(
                        namespaceName,
                        labelSelector: selector,
                        resourceVersion: version,
                        onError: exception => logger.LogDebug(exception, "Pod watch error"),
                        cancellationToken: cancellationToken
                    )
                )
                {
                    version = pod.Metadata?.ResourceVersion ?? version;
                    recorder.OnPod(type, pod);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // The server closed the stream (its watch timeout); reopen it after a pause.
            await Task.Delay(ReopenDelay, CancellationToken.None);
        }
    }

    private async Task WatchEventsAsync(
        string resourceVersion,
        PodStartRecorder recorder,
        CancellationToken cancellationToken
    )
    {
        var version = resourceVersion;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (
                    var (type, update) in client.CoreV1.WatchListNamespacedEventAsync(
                        namespaceName,
                        fieldSelector: "involvedObject.kind=Pod",
                        resourceVersion: version,
                        onError: exception => logger.LogDebug(exception, "Event watch error"),
                        cancellationToken: cancellationToken
                    )
                )
                {
                    version = update.Metadata?.ResourceVersion ?? version;
                    recorder.OnEvent(type, update);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // The server closed the stream (its watch timeout); reopen it after a pause.
            await Task.Delay(ReopenDelay, CancellationToken.None);
        }
    }
}
