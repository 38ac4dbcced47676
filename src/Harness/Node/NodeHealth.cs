using System.Net.Sockets;

namespace Harness.Node;

/// <summary>Health checks of the node's components.</summary>
internal static class NodeHealth
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>True when the registry responds to <c>GET /v2/</c> with 200, as the distribution
    /// API specifies for a registry that supports it.</summary>
    public static async Task<bool> IsRegistryHealthyAsync(
        NodeLayout layout,
        CancellationToken cancellationToken
    )
    {
        try
        {
            using var response = await Http.GetAsync(
                $"http://{layout.RegistryAddress}/v2/",
                cancellationToken
            );
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception)
            when (exception
                    is HttpRequestException
                        or TaskCanceledException { InnerException: TimeoutException }
            )
        {
            return false;
        }
    }

    /// <summary>True when something accepts connections on the unix socket.</summary>
    public static bool IsSocketAnswering(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(
                AddressFamily.Unix,
                SocketType.Stream,
                ProtocolType.Unspecified
            );
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>True when containerd responds and reaches the stargz snapshotter.</summary>
    public static async Task<bool> IsContainerdHealthyAsync(
        ContainerdClient client,
        CancellationToken cancellationToken
    )
    {
        var version = await client.TryCtrAsync(["version"], cancellationToken);
        if (version.ExitCode != 0)
        {
            return false;
        }

        var snapshots = await client.TryCtrAsync(
            ["snapshots", "--snapshotter", NodeLayout.StargzSnapshotter, "list"],
            cancellationToken
        );
        return snapshots.ExitCode == 0;
    }
}
