using System.Diagnostics;
using System.Text.Json;
using Harness.Processes;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

/// <summary>
/// Drives the node's containerd through <c>ctr</c> and <c>ctr-remote</c>, always with the
/// harness's socket and namespace. Using the same commands a person would type keeps every
/// measured step reproducible by hand from a shell.
/// </summary>
public sealed class ContainerdClient
{
    private readonly NodeLayout layout;
    private readonly ILogger logger;

    public ContainerdClient(NodeLayout layout, ILogger logger)
    {
        this.layout = layout;
        this.logger = logger;
    }

    /// <summary>Returns the containerd server version, or throws when it does not
    /// respond.</summary>
    public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken)
    {
        var output = await CtrAsync(["version"], cancellationToken);
        var server = output.Split("Server:", 2).ElementAtOrDefault(1) ?? output;
        var versionLine = server
            .Split('\n')
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith("Version:", StringComparison.Ordinal));
        return versionLine?["Version:".Length..].Trim() ?? "unknown";
    }

    /// <summary>Pulls and unpacks every layer onto overlayfs (the full-pull variant).</summary>
    public Task PullAsync(string reference, CancellationToken cancellationToken) =>
        CtrAsync(
            [
                "images",
                "pull",
                "--plain-http",
                "--snapshotter",
                NodeLayout.OverlayfsSnapshotter,
                reference,
            ],
            cancellationToken
        );

    /// <summary>Pulls lazily: the stargz snapshotter mounts each eStargz layer from the registry.
    /// </summary>
    public Task RemotePullAsync(string reference, CancellationToken cancellationToken) =>
        RunAsync(
            "ctr-remote",
            [
                "-a",
                layout.ContainerdSocket,
                "-n",
                NodeLayout.Namespace,
                "images",
                "rpull",
                "--plain-http",
                "--snapshotter",
                NodeLayout.StargzSnapshotter,
                reference,
            ],
            cancellationToken
        );

    /// <summary>Creates a container with host networking from a pulled image.</summary>
    public Task CreateContainerAsync(
        string reference,
        string containerId,
        string snapshotter,
        CancellationToken cancellationToken
    ) =>
        CtrAsync(
            [
                "containers",
                "create",
                "--snapshotter",
                snapshotter,
                "--net-host",
                reference,
                containerId,
            ],
            cancellationToken
        );

    /// <summary>Starts the container's task in the background; returns once the process runs.
    /// </summary>
    /// <remarks>
    /// The function's output is discarded (<c>--null-io</c>). Otherwise ctr connects it to
    /// FIFOs that it copies to its own output, and readiness came out 60 to 70 ms later when
    /// ctr wrote to a pipe than when it wrote to /dev/null.
    /// </remarks>
    public Task StartTaskAsync(string containerId, CancellationToken cancellationToken) =>
        CtrAsync(["tasks", "start", "--detach", "--null-io", containerId], cancellationToken);

    /// <summary>Kills and deletes a container's task and the container; missing ones are fine.
    /// </summary>
    public async Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        await TryCtrAsync(["tasks", "kill", "--signal", "SIGKILL", containerId], cancellationToken);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var deleted = await TryCtrAsync(["tasks", "delete", containerId], cancellationToken);
            if (deleted.ExitCode == 0 || deleted.StandardError.Contains("not found"))
            {
                break;
            }

            await Task.Delay(20, cancellationToken);
        }

        await TryCtrAsync(["containers", "delete", containerId], cancellationToken);
    }

    /// <summary>Returns the ids of all containers in the harness namespace.</summary>
    public async Task<IReadOnlyList<string>> ListContainersAsync(
        CancellationToken cancellationToken
    )
    {
        var output = await CtrAsync(["containers", "list", "--quiet"], cancellationToken);
        return SplitLines(output);
    }

    /// <summary>Returns the names of all images in the harness namespace.</summary>
    public async Task<IReadOnlyList<string>> ListImagesAsync(CancellationToken cancellationToken)
    {
        var output = await CtrAsync(["images", "list", "--quiet"], cancellationToken);
        return SplitLines(output);
    }

    /// <summary>Returns the manifest (or index) digest an image name points to.</summary>
    public async Task<string> GetImageDigestAsync(
        string reference,
        CancellationToken cancellationToken
    )
    {
        var output = await CtrAsync(["images", "list"], cancellationToken);
        foreach (var line in SplitLines(output).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && fields[0] == reference)
            {
                return fields[2];
            }
        }

        throw new HarnessException($"Image {reference} is not in the node's image store.");
    }

    /// <summary>Returns the digests of all blobs in the content store.</summary>
    public async Task<IReadOnlySet<string>> ListContentAsync(CancellationToken cancellationToken)
    {
        var output = await CtrAsync(["content", "list", "--quiet"], cancellationToken);
        return SplitLines(output).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Returns a blob of the content store as bytes.</summary>
    public async Task<byte[]> GetContentAsync(string digest, CancellationToken cancellationToken)
    {
        var output = await CtrAsync(["content", "get", digest], cancellationToken);
        return System.Text.Encoding.UTF8.GetBytes(output);
    }

    /// <summary>Returns every snapshot of a snapshotter with its labels.</summary>
    public async Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(
        string snapshotter,
        CancellationToken cancellationToken
    )
    {
        var output = await CtrAsync(
            ["snapshots", "--snapshotter", snapshotter, "list"],
            cancellationToken
        );
        var snapshots = new List<SnapshotInfo>();
        foreach (var line in SplitLines(output).Skip(1))
        {
            var key = line.Split(' ', 2)[0];
            var info = await CtrAsync(
                ["snapshots", "--snapshotter", snapshotter, "info", key],
                cancellationToken
            );
            using var document = JsonDocument.Parse(info);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (
                document.RootElement.TryGetProperty("Labels", out var labelElement)
                && labelElement.ValueKind == JsonValueKind.Object
            )
            {
                foreach (var label in labelElement.EnumerateObject())
                {
                    labels[label.Name] = label.Value.GetString() ?? "";
                }
            }

            var kind = document.RootElement.TryGetProperty("Kind", out var kindElement)
                ? kindElement.GetString() ?? ""
                : "";
            snapshots.Add(new SnapshotInfo(key, snapshotter, kind, labels));
        }

        return snapshots;
    }

    /// <summary>Runs <c>ctr</c> against the node and returns its standard output.</summary>
    public async Task<string> CtrAsync(
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    )
    {
        var result = await RunAsync(
            "ctr",
            ConnectionArguments().Concat(arguments).ToList(),
            cancellationToken
        );
        return result.StandardOutput;
    }

    /// <summary>Runs <c>ctr</c> against the node and returns its result whatever the exit code.
    /// </summary>
    public Task<ProcessResult> TryCtrAsync(
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    ) =>
        ProcessRunner.TryRunAsync(
            "ctr",
            ConnectionArguments().Concat(arguments).ToList(),
            cancellationToken
        );

    private string[] ConnectionArguments() =>
        ["--address", layout.ContainerdSocket, "--namespace", NodeLayout.Namespace];

    private async Task<ProcessResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    )
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(program, arguments, cancellationToken);
        logger.LogDebug(
            "{Program} {Arguments} took {Milliseconds:F1} ms",
            program,
            string.Join(' ', arguments),
            stopwatch.Elapsed.TotalMilliseconds
        );
        return result;
    }

    private static IReadOnlyList<string> SplitLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
