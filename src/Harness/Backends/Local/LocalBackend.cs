using System.Diagnostics;
using Harness.Experiments;
using Harness.Images;
using Harness.Measurement;
using Harness.Node;
using Harness.Processes;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Local;

/// <summary>
/// Runs cold starts on this machine: reset the node, pull (lazily through the stargz
/// snapshotter or fully onto overlayfs), create, start, poll readiness, trigger, tear down.
/// Every step is the <c>ctr</c> command a person would type, so each phase can be checked
/// by timing the same command from a shell.
/// </summary>
public sealed class LocalBackend : IColdStartBackend
{
    /// <summary>Pause between readiness requests. Refused connections on loopback return at
    /// once, so a short pause bounds the readiness error at about this much.</summary>
    private static readonly TimeSpan ReadinessPollInterval = TimeSpan.FromMilliseconds(2);

    private readonly LocalNode node;
    private readonly TimeoutSettings timeouts;
    private readonly IRegistryTraffic traffic;
    private readonly ILogger logger;

    public LocalBackend(
        LocalNode node,
        TimeoutSettings timeouts,
        IRegistryTraffic traffic,
        ILogger logger
    )
    {
        this.node = node;
        this.timeouts = timeouts;
        this.traffic = traffic;
        this.logger = logger;
    }

    public string Name => "local";

    public Task PrepareAsync(CancellationToken cancellationToken) =>
        node.UpAsync(cancellationToken);

    public async Task<ColdStartSample> MeasureAsync(
        ColdStartRequest request,
        CancellationToken cancellationToken
    )
    {
        // The reset is short and must not be left half done, so Ctrl-C waits for it.
        var resetTime = await node.ResetAsync(CancellationToken.None);
        logger.LogDebug("Reset the node in {Milliseconds:F0} ms", resetTime.TotalMilliseconds);
        traffic.ResetCounters();

        var startedAt = DateTimeOffset.UtcNow;
        var containerId = $"harness-{request.Sequence}";
        var snapshotter = request.Variant.IsLazy()
            ? NodeLayout.StargzSnapshotter
            : NodeLayout.OverlayfsSnapshotter;
        var clock = new PhaseClock();
        string status = SampleStatus.Ok;
        string? error = null;
        LazinessProof? proof = null;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WithTimeoutAsync(
                Phase.Pull,
                timeouts.PullSeconds,
                token =>
                    request.Variant.IsLazy()
                        ? node.Containerd.RemotePullAsync(request.ImageReference, token)
                        : node.Containerd.PullAsync(request.ImageReference, token),
                cancellationToken
            );
            clock.Mark(Phase.Pull);

            await node.Containerd.CreateContainerAsync(
                request.ImageReference,
                containerId,
                snapshotter,
                cancellationToken
            );
            clock.Mark(Phase.Create);

            await node.Containerd.StartTaskAsync(containerId, cancellationToken);
            clock.Mark(Phase.Start);

            await WithTimeoutAsync(
                Phase.Ready,
                timeouts.ReadySeconds,
                token => WaitReadyAsync(request, token),
                cancellationToken
            );
            clock.Mark(Phase.Ready);

            await WithTimeoutAsync(
                Phase.FirstResponse,
                timeouts.RequestSeconds,
                token => TriggerAsync(request, token),
                cancellationToken
            );
            clock.Mark(Phase.FirstResponse);

            proof = await node.ProveLazinessAsync(request.ImageReference, cancellationToken);
            if (proof.IsLazy != request.Variant.IsLazy())
            {
                status = SampleStatus.Failed;
                error =
                    $"expected a {(request.Variant.IsLazy() ? "lazy" : "full")} pull of "
                    + $"{request.Variant.ToName()}, found {proof}";
            }
        }
        catch (PhaseTimeoutException exception)
        {
            status = SampleStatus.TimedOut;
            error = exception.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = SampleStatus.Interrupted;
            error = "interrupted by the user";
        }
        catch (Exception exception) when (exception is HarnessException or IOException)
        {
            status = SampleStatus.Failed;
            error = exception.Message;
            logger.LogWarning(
                "Sample {Sequence} ({Workload} {Variant}) failed: {Error}. The run goes on.",
                request.Sequence,
                request.Workload.Name,
                request.Variant.ToName(),
                error
            );
        }
        finally
        {
            var teardown = Stopwatch.StartNew();
            await node.Containerd.RemoveContainerAsync(containerId, CancellationToken.None);
            logger.LogDebug(
                "Removed container {Container} in {Milliseconds:F0} ms",
                containerId,
                teardown.Elapsed.TotalMilliseconds
            );
        }

        return new ColdStartSample
        {
            Workload = request.Workload.Name,
            Variant = request.Variant.ToName(),
            Repetition = request.Repetition,
            Warmup = request.Warmup,
            Sequence = request.Sequence,
            StartedAt = startedAt,
            Status = status,
            PullMs = clock[Phase.Pull],
            CreateMs = clock[Phase.Create],
            StartMs = clock[Phase.Start],
            ReadyMs = clock[Phase.Ready],
            FirstResponseMs = clock[Phase.FirstResponse],
            TotalMs = clock[Phase.FirstResponse] is null ? null : clock.ElapsedToLastMark,
            BytesFetched = traffic.BytesToNode,
            ImageBytes = request.ImageBytes,
            Lazy = proof?.IsLazy,
            Snapshotter = proof?.Snapshotter ?? snapshotter,
            Error = error,
        };
    }

    public async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        // Leave the node cold and empty, as the next run expects it; the node stays up.
        await node.ResetAsync(cancellationToken);
    }

    /// <summary>Releases nothing: each request opens and closes its own connection, as a
    /// cold client would.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task WaitReadyAsync(
        ColdStartRequest request,
        CancellationToken cancellationToken
    )
    {
        var workload = request.Workload;
        while (true)
        {
            var status = await LoopbackHttpProbe.GetStatusAsync(
                workload.Port,
                workload.ReadinessPath,
                cancellationToken
            );
            if (status is >= 200 and < 300)
            {
                return;
            }

            await Task.Delay(ReadinessPollInterval, cancellationToken);
        }
    }

    /// <summary>Sends the triggering request and returns at the first bytes of the response.
    /// </summary>
    private static async Task TriggerAsync(
        ColdStartRequest request,
        CancellationToken cancellationToken
    )
    {
        var workload = request.Workload;
        var status = await LoopbackHttpProbe.GetStatusAsync(
            workload.Port,
            workload.TriggerPath,
            cancellationToken
        );
        if (status is not (>= 200 and < 300))
        {
            var found = status is null ? "no response" : $"status {status}";
            throw new HarnessException(
                $"The triggering request GET http://127.0.0.1:{workload.Port}"
                    + $"{workload.TriggerPath} got {found}, expected a 2xx status."
            );
        }
    }

    private static async Task WithTimeoutAsync(
        string phase,
        double seconds,
        Func<CancellationToken, Task> action,
        CancellationToken cancellationToken
    )
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            await action(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PhaseTimeoutException(phase, seconds);
        }
    }
}
