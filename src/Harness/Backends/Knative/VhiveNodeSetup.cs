using System.Text;
using CliWrap;
using Harness.Processes;
using Microsoft.Extensions.Logging;

namespace Harness.Backends.Knative;

/// <summary>
/// Sets up a single-node Kubernetes cluster with Knative Serving and the stargz snapshotter
/// with the scripts of a vHive checkout: <c>scripts/cloudlab/setup_node.sh stock-only
/// use-stargz</c>, then <c>scripts/cluster/create_one_node_cluster.sh stock-only</c>.
/// </summary>
public sealed class VhiveNodeSetup
{
    /// <summary>Lines of a failed script's output quoted in the error message.</summary>
    public const int QuotedOutputLines = 20;

    private readonly string vhivePath;
    private readonly ILogger logger;
    private readonly Func<bool> isRoot;
    private readonly string sudoProgram;

    /// <summary>Creates the setup for the vHive checkout at <paramref name="vhivePath"/>.
    /// <paramref name="isRoot"/> and <paramref name="sudoProgram"/> replace the privilege
    /// checks, for tests.</summary>
    public VhiveNodeSetup(
        string vhivePath,
        ILogger logger,
        Func<bool>? isRoot = null,
        string sudoProgram = "sudo"
    )
    {
        // A leading ~ is expanded as a shell would, since experiment files are often written
        // with one.
        if (vhivePath == "~" || vhivePath.StartsWith("~/", StringComparison.Ordinal))
        {
            vhivePath =
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + vhivePath[1..];
        }

        this.vhivePath = Path.GetFullPath(vhivePath);
        this.logger = logger;
        this.isRoot = isRoot ?? (() => Environment.IsPrivilegedProcess);
        this.sudoProgram = sudoProgram;
    }

    /// <summary>The scripts this setup runs, in order, with their arguments.</summary>
    public IReadOnlyList<(string Script, IReadOnlyList<string> Arguments)> Steps { get; } =
    [
        ("scripts/cloudlab/setup_node.sh", ["stock-only", "use-stargz"]),
        ("scripts/cluster/create_one_node_cluster.sh", ["stock-only"]),
    ];

    /// <summary>Checks the user and the checkout, then runs the scripts one after the other,
    /// logging their output; throws <see cref="HarnessException"/> at the first failure.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await CheckUserAsync(cancellationToken);
        var missing = Steps
            .Select(step => Path.Combine(vhivePath, step.Script))
            .Where(path => !File.Exists(path))
            .ToList();
        if (missing.Count > 0)
        {
            throw new HarnessException(
                $"The vHive checkout at {vhivePath} lacks {string.Join(" and ", missing)}. "
                    + "Point \"vhivePath\" in the experiment's knative section at a clone of "
                    + "https://github.com/vhive-serverless/vHive, or remove it to skip node setup."
            );
        }

        foreach (var (script, arguments) in Steps)
        {
            await RunScriptAsync(script, arguments, cancellationToken);
        }
    }

    // vHive's scripts call sudo themselves and write into the user's home (~/.kube/config),
    // so they must run as a normal user who may use sudo without a password prompt.
    private async Task CheckUserAsync(CancellationToken cancellationToken)
    {
        if (isRoot())
        {
            throw new HarnessException(
                "vHive's setup scripts must run as a non-root user with sudo rights, but the "
                    + "harness runs as root. Run it as a normal user allowed to use sudo without a "
                    + "password (for example a line 'USER ALL=(ALL) NOPASSWD:ALL' in "
                    + "/etc/sudoers.d/USER), or set up the node by hand and remove \"vhivePath\"."
            );
        }

        ProcessResult sudo;
        try
        {
            sudo = await ProcessRunner.TryRunAsync(sudoProgram, ["-n", "true"], cancellationToken);
        }
        catch (HarnessException exception)
        {
            throw new HarnessException(
                $"vHive's setup scripts need sudo, but {sudoProgram} could not be started. "
                    + "Install sudo and allow this user to use it without a password.",
                exception
            );
        }

        if (sudo.ExitCode != 0)
        {
            throw new HarnessException(
                $"vHive's setup scripts need sudo without a password prompt, but "
                    + $"'{sudoProgram} -n true' failed with exit code {sudo.ExitCode}: "
                    + $"{sudo.StandardError.Trim()}. Allow user {Environment.UserName} "
                    + "passwordless sudo (a NOPASSWD line in /etc/sudoers.d/), then run again."
            );
        }
    }

    private async Task RunScriptAsync(
        string script,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    )
    {
        var path = Path.Combine(vhivePath, script);
        var commandLine = string.Join(' ', arguments.Prepend(script));
        logger.LogInformation("Running vHive setup: {CommandLine}", commandLine);

        var lastLines = new Queue<string>();
        void Record(string line, bool isError)
        {
            lock (lastLines)
            {
                lastLines.Enqueue(line);
                if (lastLines.Count > QuotedOutputLines)
                {
                    lastLines.Dequeue();
                }
            }

            if (isError)
            {
                logger.LogWarning("{Script}: {Line}", script, line);
            }
            else
            {
                logger.LogInformation("{Script}: {Line}", script, line);
            }
        }

        CommandResult result;
        try
        {
            result = await Cli.Wrap(path)
                .WithArguments(arguments)
                .WithWorkingDirectory(vhivePath)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Record(line, false)))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Record(line, true)))
                .ExecuteAsync(cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new HarnessException(
                $"Could not start {path}: {exception.Message}. Check that the file is "
                    + "executable (chmod +x) and starts with a #! line.",
                exception
            );
        }

        if (result.ExitCode != 0)
        {
            var output = new StringBuilder();
            lock (lastLines)
            {
                foreach (var line in lastLines)
                {
                    output.Append("\n  ").Append(line);
                }
            }

            throw new HarnessException(
                $"vHive setup failed: {commandLine} exited with code {result.ExitCode} after "
                    + $"{result.RunTime.TotalSeconds:F0} s. Last lines of its output:"
                    + (output.Length == 0 ? " (none)" : output.ToString())
                    + $"\nFix the cause and run again; the full output is in the log above."
            );
        }

        logger.LogInformation(
            "vHive setup: {CommandLine} finished in {Seconds:F0} s",
            commandLine,
            result.RunTime.TotalSeconds
        );
    }
}
