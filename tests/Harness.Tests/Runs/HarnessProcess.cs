using System.Text;
using CliWrap;
using Harness.Native;

namespace Harness.Tests.Runs;

/// <summary>
/// Runs the <c>./harness</c> script as a user would, with a node of its own: separate state
/// and run folders and registry port, so it never touches a node the user runs.
/// </summary>
internal sealed class HarnessProcess
{
    private readonly string name;
    private readonly int registryPort;

    public HarnessProcess(string name, int registryPort)
    {
        this.name = name;
        this.registryPort = registryPort;
    }

    public string StateDirectory => $"/var/lib/harness-tests/{name}";
    public string RunDirectory => $"/run/harness-tests/{name}";

    /// <summary>Runs the harness with the arguments; optionally sends <paramref name="signal"/>
    /// (SIGINT, as Ctrl-C does, unless set) once a line of its output contains
    /// <paramref name="interruptWhen"/>.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyList<string> arguments,
        string? interruptWhen = null,
        int signal = LibC.SIGINT
    )
    {
        var output = new StringBuilder();
        var processId = 0;
        var interrupted = false;
        void Collect(string line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            // env and the script exec the program, so the pid is the harness itself.
            if (
                interruptWhen is not null
                && !interrupted
                && processId > 0
                && line.Contains(interruptWhen, StringComparison.Ordinal)
            )
            {
                interrupted = true;
                LibC.kill(processId, signal);
            }
        }

        // A test run started in the background inherits an ignored SIGINT, which would drop
        // the Ctrl-C sent here. env restores the default that a terminal user has.
        var command = Cli.Wrap("env")
            .WithArguments([
                "--default-signal=INT",
                Path.Combine(HarnessPaths.RepositoryRoot, "harness"),
                .. arguments,
            ])
            .WithEnvironmentVariables(
                new Dictionary<string, string?>
                {
                    ["HARNESS_STATE_DIR"] = StateDirectory,
                    ["HARNESS_RUN_DIR"] = RunDirectory,
                    ["HARNESS_REGISTRY_PORT"] = registryPort.ToString(),
                }
            )
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Collect))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Collect));

        using var forceful = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var task = command.ExecuteAsync(forceful.Token);
        processId = task.ProcessId;
        var result = await task;
        return (result.ExitCode, output.ToString());
    }
}
