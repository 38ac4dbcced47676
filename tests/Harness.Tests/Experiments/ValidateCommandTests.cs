using Harness.Processes;
using Xunit;

namespace Harness.Tests.Experiments;

/// <summary>Runs <c>harness validate</c> as its own process, as a user would.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private const int TimeoutMilliseconds = 60_000;

    private readonly TemporaryWorkloads workloads = new(ExperimentFixtures.Workloads);

    public void Dispose() => workloads.Dispose();

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task ValidFilePrintsPlanSize()
    {
        var result = await RunValidateAsync(ExperimentFixtures.PathOf("valid.json"));

        Assert.Equal(0, result.ExitCode);
        // 1 workload x 2 variants x (1 warm-up + 3 measured) = 8.
        Assert.Contains(
            "Plan: 8 samples = 1 workload x 2 variants x (1 warm-up + 3 measured), "
                + "shuffled with seed 42.",
            result.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.Contains("\"repetitions\": 3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task SetChangesPrintedPlan()
    {
        var result = await RunValidateAsync(
            ExperimentFixtures.PathOf("valid.json"),
            "--set",
            "repetitions=5",
            "--set",
            "variants=overlayfs,estargz-noopt,estargz",
            "--set",
            "order.shuffle=false"
        );

        Assert.Equal(0, result.ExitCode);
        // 1 workload x 3 variants x (1 warm-up + 5 measured) = 18.
        Assert.Contains(
            "Plan: 18 samples = 1 workload x 3 variants x (1 warm-up + 5 measured), "
                + "grouped by workload and variant.",
            result.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Override: --set repetitions=5",
            result.StandardOutput,
            StringComparison.Ordinal
        );
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task InvalidFileExitsWithCodeTwo()
    {
        var result = await RunValidateAsync(ExperimentFixtures.PathOf("many-problems.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains("(8 problems)", result.StandardError, StringComparison.Ordinal);
        string[] paths =
        [
            "  - repetitons: unknown key (did you mean `repetitions`?)",
            "  - workloads[0]: workload `helo` not found",
            "  - workloads[2]: `hello` is listed twice",
            "  - variants[1]: unknown variant `estargz-opt`",
            "  - repetitions: found `0`",
            "  - warmup: found `-1`",
            "  - backend: unknown backend `knativ`",
            "  - network.bandwidthMbit: found `0`",
        ];
        foreach (var line in paths)
        {
            Assert.Contains(line, result.StandardError, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task BadSetExitsWithCodeTwo()
    {
        var result = await RunValidateAsync(
            ExperimentFixtures.PathOf("valid.json"),
            "--set",
            "repetitions"
        );

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(
            "--set: found `repetitions`, expected key=value",
            result.StandardError,
            StringComparison.Ordinal
        );
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task MissingFileExitsWithCodeTwo()
    {
        var path = Path.Combine(workloads.RepositoryRoot, "absent.json");

        var result = await RunValidateAsync(path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(
            $"Experiment file {path} not found",
            result.StandardError,
            StringComparison.Ordinal
        );
    }

    private async Task<ProcessResult> RunValidateAsync(params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeoutMilliseconds);
        var harness = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        return await ProcessRunner.TryRunAsync(
            "dotnet",
            [harness, "validate", .. arguments],
            timeout.Token,
            new Dictionary<string, string?> { ["HARNESS_ROOT"] = workloads.RepositoryRoot }
        );
    }
}
