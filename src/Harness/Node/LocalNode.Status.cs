using Harness.Processes;

namespace Harness.Node;

public sealed partial class LocalNode
{
    /// <summary>Reports version, pid, endpoint and health of each component.</summary>
    public async Task<IReadOnlyList<ComponentStatus>> GetStatusAsync(
        CancellationToken cancellationToken
    )
    {
        var registryPid = RunningPid(NodeComponent.Registry);
        var stargzPid = RunningPid(NodeComponent.Stargz);
        var containerdPid = RunningPid(NodeComponent.Containerd);

        var registryHealthy =
            registryPid is not null
            && await NodeHealth.IsRegistryHealthyAsync(Layout, cancellationToken);
        var stargzHealthy =
            stargzPid is not null && NodeHealth.IsSocketAnswering(Layout.StargzSocket);
        var containerdHealthy =
            containerdPid is not null
            && await NodeHealth.IsContainerdHealthyAsync(Containerd, cancellationToken);

        return
        [
            new ComponentStatus(
                NodeComponent.Registry,
                await FirstLineOfAsync("docker-registry", ["--version"], cancellationToken),
                registryPid,
                $"http://{Layout.RegistryAddress}",
                registryHealthy,
                registryHealthy ? "GET /v2/ answered 200" : DescribeDown(registryPid)
            ),
            new ComponentStatus(
                NodeComponent.Stargz,
                await DebianPackages.GetVersionAsync(
                    SnapshotterDaemonBuilder.LibraryPackage,
                    cancellationToken
                ) ?? "not installed",
                stargzPid,
                Layout.StargzSocket,
                stargzHealthy,
                stargzHealthy ? "socket accepts connections" : DescribeDown(stargzPid)
            ),
            new ComponentStatus(
                NodeComponent.Containerd,
                await FirstLineOfAsync("containerd", ["--version"], cancellationToken),
                containerdPid,
                Layout.ContainerdSocket,
                containerdHealthy,
                containerdHealthy
                    ? "answers and reaches the stargz snapshotter"
                    : DescribeDown(containerdPid)
            ),
        ];
    }

    private static string DescribeDown(int? pid) =>
        pid is null ? "not running" : $"running but not answering its health check";

    private static async Task<string> FirstLineOfAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var result = await ProcessRunner.TryRunAsync(program, arguments, cancellationToken);
            var line = result.StandardOutput.Split('\n')[0].Trim();
            return result.ExitCode == 0 && line.Length > 0 ? line : "unknown";
        }
        catch (HarnessException)
        {
            return "not installed";
        }
    }
}
