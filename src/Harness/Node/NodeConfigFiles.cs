namespace Harness.Node;

/// <summary>The configuration files the harness writes for its containerd and registry.
/// </summary>
internal static class NodeConfigFiles
{
    /// <summary>
    /// containerd 1.6 configuration (version 2 schema): own root, state and sockets, the CRI
    /// plugin off (nothing here speaks CRI), and the stargz snapshotter as a proxy plugin.
    /// </summary>
    public static string Containerd(NodeLayout layout) =>
        $"""
            version = 2
            root = "{layout.ContainerdRoot}"
            state = "{layout.ContainerdState}"
            disabled_plugins = [
              "io.containerd.grpc.v1.cri",
              "io.containerd.snapshotter.v1.aufs",
              "io.containerd.snapshotter.v1.btrfs",
              "io.containerd.snapshotter.v1.devmapper",
              "io.containerd.snapshotter.v1.zfs",
            ]

            [grpc]
              address = "{layout.ContainerdSocket}"

            [ttrpc]
              address = "{layout.ContainerdSocket}.ttrpc"

            [metrics]
              address = ""

            [proxy_plugins.{NodeLayout.StargzSnapshotter}]
              type = "snapshot"
              address = "{layout.StargzSocket}"

            """;

    /// <summary>Configuration of the CNCF distribution registry 2.8, bound to loopback.</summary>
    public static string Registry(NodeLayout layout) =>
        $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {layout.RegistryRoot}
              delete:
                enabled: true
            http:
              addr: {layout.RegistryAddress}

            """;
}
