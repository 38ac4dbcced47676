namespace Harness.Node;

/// <summary>
/// Every path and address of the harness's own node. The node never shares a socket, root or
/// state folder with a containerd the machine already runs.
/// </summary>
public sealed record NodeLayout
{
    /// <summary>The containerd namespace all images, containers and leases live in.</summary>
    public const string Namespace = "harness";

    /// <summary>Name of the stargz snapshotter as a containerd proxy plugin.</summary>
    public const string StargzSnapshotter = "stargz";

    public const string OverlayfsSnapshotter = "overlayfs";

    /// <summary>Default registry port; <c>HARNESS_REGISTRY_PORT</c> moves it.</summary>
    public const int DefaultRegistryPort = 5000;

    public required string StateRoot { get; init; }
    public required string RunRoot { get; init; }
    public required string CacheRoot { get; init; }
    public required int RegistryPort { get; init; }

    public string ContainerdRoot => Path.Combine(StateRoot, "containerd");
    public string ContainerdState => Path.Combine(RunRoot, "containerd");
    public string ContainerdSocket => Path.Combine(RunRoot, "containerd.sock");
    public string ContainerdConfig => Path.Combine(RunRoot, "containerd.toml");
    public string StargzRoot => Path.Combine(StateRoot, "stargz");
    public string StargzSocket => Path.Combine(RunRoot, "stargz.sock");
    public string RegistryRoot => Path.Combine(StateRoot, "registry");
    public string RegistryConfig => Path.Combine(RunRoot, "registry.yml");
    public string LogDirectory => Path.Combine(StateRoot, "logs");

    /// <summary>Address the registry listens on; always loopback.</summary>
    public string RegistryAddress => $"127.0.0.1:{RegistryPort}";

    /// <summary>Where the runc shims keep container state for our namespace.</summary>
    public string RuncRoot => Path.Combine("/run/containerd/runc", Namespace);

    public string PidFile(string component) => Path.Combine(RunRoot, $"{component}.pid");

    public string LogFile(string component) => Path.Combine(LogDirectory, $"{component}.log");

    /// <summary>Creates the layout from <see cref="HarnessPaths"/> and the environment.</summary>
    public static NodeLayout FromEnvironment()
    {
        var portText = Environment.GetEnvironmentVariable("HARNESS_REGISTRY_PORT");
        var port = DefaultRegistryPort;
        if (
            !string.IsNullOrEmpty(portText)
            && (!int.TryParse(portText, out port) || port is < 1 or > 65535)
        )
        {
            throw new HarnessException(
                $"HARNESS_REGISTRY_PORT is '{portText}', expected a TCP port from 1 to 65535."
            );
        }

        return new NodeLayout
        {
            StateRoot = HarnessPaths.StateRoot,
            RunRoot = HarnessPaths.RunRoot,
            CacheRoot = HarnessPaths.CacheRoot,
            RegistryPort = port,
        };
    }
}
