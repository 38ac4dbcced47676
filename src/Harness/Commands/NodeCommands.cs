using System.CommandLine;
using System.Diagnostics;
using Harness.Network;
using Harness.Node;
using Microsoft.Extensions.Logging;

namespace Harness.Commands;

/// <summary>The <c>harness node</c> verbs: up, status, reset and down.</summary>
internal static class NodeCommands
{
    public static Command Create()
    {
        var node = new Command(
            "node",
            "Manage the local node: containerd, stargz snapshotter, registry."
        );
        node.Subcommands.Add(CreateInstall());
        node.Subcommands.Add(CreateUp());
        node.Subcommands.Add(CreateStatus());
        node.Subcommands.Add(CreateReset());
        node.Subcommands.Add(CreateDown());
        return node;
    }

    private static Command CreateInstall()
    {
        var command = new Command(
            "install",
            "Install the Debian packages and build the snapshotter daemon without starting "
                + "anything."
        );
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var node = OpenNode(loggers);
                var daemon = await node.InstallAsync(cancellationToken);
                Console.WriteLine($"Node packages installed; snapshotter daemon at {daemon}");
                return ExitCodes.Success;
            }
        );
        return command;
    }

    private static Command CreateUp()
    {
        var command = new Command(
            "up",
            "Install what is missing, build the snapshotter daemon and start the node. "
                + "Idempotent; recovers a node left behind by a killed run."
        );
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var node = OpenNode(loggers);
                await node.UpAsync(cancellationToken);
                return ExitCodes.Success;
            }
        );
        return command;
    }

    private static Command CreateStatus()
    {
        var command = new Command(
            "status",
            "Show each component's version, pid, address and health. Exit 0 only "
                + "when all are healthy."
        );
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var node = OpenNode(loggers);
                var components = await node.GetStatusAsync(cancellationToken);
                foreach (var component in components)
                {
                    var health = component.Healthy ? "healthy" : "DOWN";
                    var pid = component.Pid?.ToString() ?? "-";
                    Console.WriteLine(
                        $"{component.Name, -11} {health, -8} pid {pid, -8} {component.Endpoint}  "
                            + $"[{component.Version}]  {component.Detail}"
                    );
                }

                var link = await RegistryLinkStatus.ReadActiveAsync(cancellationToken);
                var linkState = link is null
                    ? "emulation off: no run is shaping the link"
                    : $"emulation on: {link.Describe()} (run pid {link.ProcessId})";
                Console.WriteLine($"{"link", -11} {linkState}");
                return components.All(component => component.Healthy)
                    ? ExitCodes.Success
                    : ExitCodes.Failure;
            }
        );
        return command;
    }

    private static Command CreateReset()
    {
        var count = new Option<int>("--count")
        {
            Description = "Reset this many times and print the median duration.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command(
            "reset",
            "Bring the node to a true cold state: no images, content, snapshots, "
                + "snapshotter cache or FUSE mounts; page cache dropped."
        );
        command.Options.Add(count);
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                var times = parseResult.GetValue(count);
                if (times < 1)
                {
                    throw new HarnessException($"--count is {times}; expected 1 or more.");
                }

                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var node = OpenNode(loggers);
                var durations = new List<double>();
                for (var i = 0; i < times; i++)
                {
                    var duration = await node.ResetAsync(cancellationToken);
                    durations.Add(duration.TotalMilliseconds);
                    Console.WriteLine($"reset {i + 1}/{times}: {duration.TotalMilliseconds:F0} ms");
                }

                if (times > 1)
                {
                    durations.Sort();
                    var median =
                        times % 2 == 1
                            ? durations[times / 2]
                            : (durations[(times / 2) - 1] + durations[times / 2]) / 2;
                    Console.WriteLine(
                        $"median {median:F0} ms, min {durations[0]:F0} ms, "
                            + $"max {durations[^1]:F0} ms over {times} resets"
                    );
                }

                return ExitCodes.Success;
            }
        );
        return command;
    }

    private static Command CreateDown()
    {
        var command = new Command(
            "down",
            "Stop everything the harness started; leave no process, mount or socket."
        );
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var node = OpenNode(loggers);
                await node.DownAsync(cancellationToken);
                return ExitCodes.Success;
            }
        );
        return command;
    }

    /// <summary>Creates the node the environment points at, logging as "node".</summary>
    private static LocalNode OpenNode(ILoggerFactory loggers) =>
        new(NodeLayout.FromEnvironment(), loggers.CreateLogger("node"));
}
