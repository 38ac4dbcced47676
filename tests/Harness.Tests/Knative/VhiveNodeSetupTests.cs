using Harness.Backends.Knative;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>vHive's setup scripts, played by stand-in scripts that record their arguments.
/// </summary>
public sealed class VhiveNodeSetupTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("harness-vhive-").FullName;
    private readonly RecordingLoggerProvider logs = new();

    private string Record => Path.Combine(folder, "record");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact(Timeout = 30_000)]
    public async Task SetupRunsBothScriptsInOrder()
    {
        var vhive = VhiveCheckout.Create(folder, Record);

        await Setup(vhive, sudoExitCode: 0).RunAsync(CancellationToken.None);

        Assert.Equal(
            [
                $"setup_node.sh stock-only use-stargz (in {vhive})",
                $"create_one_node_cluster.sh stock-only (in {vhive})",
            ],
            File.ReadAllLines(Record)
        );
        Assert.Contains(logs.Messages, message =>
            message.Level == LogLevel.Information
            && message.Message == "scripts/cloudlab/setup_node.sh: output line 1"
        );
        Assert.Contains(logs.Messages, message =>
            message.Level == LogLevel.Warning
            && message.Message == "scripts/cluster/create_one_node_cluster.sh: warning on stderr"
        );
    }

    [Fact(Timeout = 30_000)]
    public async Task SetupStopsAtFailingScript()
    {
        var vhive = VhiveCheckout.Create(folder, Record, setupExitCode: 3, outputLines: 30);

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            Setup(vhive, sudoExitCode: 0).RunAsync(CancellationToken.None)
        );

        Assert.Contains(
            "scripts/cloudlab/setup_node.sh stock-only use-stargz exited with code 3",
            exception.Message
        );

        // The script prints 30 numbered lines and one line on standard error. The two pipes
        // do not fix their order, but the last 20 of those 31 lines never include lines 1-10.
        Assert.Contains("output line 30", exception.Message);
        Assert.Contains("output line 12\n", exception.Message);
        Assert.DoesNotContain("output line 10\n", exception.Message);
        Assert.Single(File.ReadAllLines(Record));
    }

    [Fact]
    public async Task SetupRejectsRoot()
    {
        var vhive = VhiveCheckout.Create(folder, Record);
        var setup = new VhiveNodeSetup(vhive, Logger(), isRoot: () => true);

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            setup.RunAsync(CancellationToken.None)
        );

        Assert.Contains("must run as a non-root user with sudo rights", exception.Message);
        Assert.False(File.Exists(Record));
    }

    [Fact(Timeout = 30_000)]
    public async Task SetupRejectsUserWithoutPasswordlessSudo()
    {
        var vhive = VhiveCheckout.Create(folder, Record);

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            Setup(vhive, sudoExitCode: 1).RunAsync(CancellationToken.None)
        );

        Assert.Contains("-n true' failed with exit code 1", exception.Message);
        Assert.Contains("a password is required", exception.Message);
        Assert.False(File.Exists(Record));
    }

    [Fact(Timeout = 30_000)]
    public async Task SetupReportsMissingScripts()
    {
        var empty = Directory.CreateDirectory(Path.Combine(folder, "not-vhive")).FullName;

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            Setup(empty, sudoExitCode: 0).RunAsync(CancellationToken.None)
        );

        Assert.Contains(Path.Combine(empty, "scripts/cloudlab/setup_node.sh"), exception.Message);
    }

    private VhiveNodeSetup Setup(string vhive, int sudoExitCode)
    {
        var sudo = VhiveCheckout.WriteExecutable(
            Path.Combine(folder, "bin", "sudo"),
            sudoExitCode == 0
                ? "exit 0\n"
                : $"echo 'sudo: a password is required' >&2\nexit {sudoExitCode}\n"
        );
        return new VhiveNodeSetup(vhive, Logger(), isRoot: () => false, sudoProgram: sudo);
    }

    private ILogger Logger() =>
        LoggerFactory.Create(builder => builder.AddProvider(logs)).CreateLogger("vhive");
}
