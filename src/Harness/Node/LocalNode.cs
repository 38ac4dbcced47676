using Harness.Native;
using Microsoft.Extensions.Logging;

namespace Harness.Node;

/// <summary>
/// The harness's own single-machine node: containerd with the stargz snapshotter as a proxy
/// plugin, and a registry on loopback. Split by concern into partial files: setup, status,
/// reset, teardown and the proof of laziness.
/// </summary>
public sealed partial class LocalNode
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(30);

    private readonly ILogger logger;

    public LocalNode(NodeLayout layout, ILogger logger)
    {
        Layout = layout;
        this.logger = logger;
        Containerd = new ContainerdClient(layout, logger);
    }

    public NodeLayout Layout { get; }

    /// <summary>Level of the "Starting ..." messages: routine during a reset.</summary>
    private LogLevel StartLogLevel { get; set; } = LogLevel.Information;

    /// <summary>Client for the node's containerd.</summary>
    public ContainerdClient Containerd { get; }

    /// <summary>Throws unless the harness runs as root, which containerd and FUSE need.</summary>
    public static void EnsureRoot(string verb)
    {
        if (LibC.geteuid() != 0)
        {
            throw new HarnessException(
                $"'harness {verb}' needs root: it runs containerd, mounts FUSE and overlay file "
                    + $"systems and may install Debian packages. Run 'sudo ./harness {verb}'."
            );
        }
    }

    /// <summary>Returns the pid of a component the harness started, if it is still running.
    /// </summary>
    private int? RunningPid(string component)
    {
        var pid = DaemonProcess.ReadPid(Layout.PidFile(component));
        return pid is not null && DaemonProcess.IsAlive(pid.Value) ? pid : null;
    }
}
