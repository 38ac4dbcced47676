using CliWrap;
using CliWrap.Buffered;
using Harness.Tests.Infrastructure;

namespace Harness.Tests.Node;

/// <summary>The node verbs as a user meets them, through the built program.</summary>
public sealed class NodeCommandTests
{
    private const int TimeoutMs = 120_000;

    [RootFact(Timeout = TimeoutMs)]
    public async Task NodeUp_AsNonRootExplainsSudo()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "harness.dll");

        // setpriv drops to the unprivileged 'nobody' user; HOME must be writable for dotnet.
        var result = await Cli.Wrap("setpriv")
            .WithArguments([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                "dotnet",
                program,
                "node",
                "up",
            ])
            .WithEnvironmentVariables(
                new Dictionary<string, string?>
                {
                    ["HOME"] = Path.GetTempPath(),
                    ["DOTNET_CLI_HOME"] = Path.GetTempPath(),
                    ["HARNESS_STATE_DIR"] = "/var/lib/harness-tests/nonroot",
                    ["HARNESS_RUN_DIR"] = "/run/harness-tests/nonroot",
                }
            )
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs root", result.StandardError);
        Assert.Contains("sudo ./harness node up", result.StandardError);
        Assert.False(Directory.Exists("/run/harness-tests/nonroot"));
    }
}
