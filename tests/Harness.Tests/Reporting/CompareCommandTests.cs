using Harness.Commands;
using Harness.Measurement;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

/// <summary>
/// Runs <c>harness compare</c> on generated runs: workload hello, variants overlayfs and
/// estargz, ten measured samples each, where sample i has pull 1000 + 10 i ms (overlayfs) or
/// 100 + 10 i ms (estargz), create 200 + i, start 20, ready 300 + 5 i, first_response 5 + i
/// and a total equal to the sum.
/// </summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static IEnumerable<ColdStartSample> Run(Func<string, int, double, double> adjust)
    {
        var sequence = 0;
        foreach (var variant in new[] { "overlayfs", "estargz" })
        {
            for (var index = 0; index < 10; index++)
            {
                var pullBase = variant == "overlayfs" ? 1000 : 100;
                var pull = adjust(Phase.Pull, index, pullBase + 10.0 * index);
                var create = adjust(Phase.Create, index, 200.0 + index);
                var start = adjust(Phase.Start, index, 20);
                var ready = adjust(Phase.Ready, index, 300.0 + 5 * index);
                var response = adjust(Phase.FirstResponse, index, 5.0 + index);
                yield return new ColdStartSample
                {
                    Sequence = sequence++,
                    StartedAt = new DateTimeOffset(2026, 1, 31, 12, 0, sequence, TimeSpan.Zero),
                    Workload = "hello",
                    Variant = variant,
                    Repetition = index,
                    Warmup = false,
                    Status = SampleStatus.Ok,
                    PullMs = Math.Round(pull, 3),
                    CreateMs = Math.Round(create, 3),
                    StartMs = Math.Round(start, 3),
                    ReadyMs = Math.Round(ready, 3),
                    FirstResponseMs = Math.Round(response, 3),
                    TotalMs = Math.Round(pull + create + start + ready + response, 3),
                };
            }
        }
    }

    private string WriteRun(string name, Func<string, int, double, double> adjust)
    {
        var path = folder.File(name);
        Directory.CreateDirectory(path);
        using var writer = SampleCsvWriter.Create(Path.Combine(path, "samples.csv"));
        foreach (var sample in Run(adjust))
        {
            writer.Append(sample);
        }

        return path;
    }

    private static Task<int> CompareAsync(params string[] arguments) =>
        Harness.Commands.CommandLine.RunAsync(["compare", .. arguments]);

    [Fact]
    public async Task RunAgainstItselfPasses()
    {
        var run = WriteRun("base", (_, _, value) => value);

        var exitCode = await CompareAsync(run, run);
        var report = await File.ReadAllTextAsync(Path.Combine(run, "compare.md"));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("no significant regression", report);
        Assert.DoesNotContain("**slower**", report);
    }

    [Fact]
    public async Task SlowerPhaseFailsAndIsNamed()
    {
        var baseRun = WriteRun("base", (_, _, value) => value);
        var newRun = WriteRun("new", (phase, _, value) =>
            phase == Phase.Ready ? value * 1.3 : value
        );

        var exitCode = await CompareAsync(baseRun, newRun, "--threshold", "10%");
        var report = await File.ReadAllTextAsync(Path.Combine(newRun, "compare.md"));

        // ready: base 300..345 ms, new 390..448.5 ms: every new value is larger, so the
        // exact two-sided p = 2 / C(20, 10) = 2 / 184756, and the median rises by 30 %.
        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("regression in hello/overlayfs ready (+30.0 %)", report);
        Assert.Contains(
            "| hello | estargz | ready | 10 | 10 | 322.5 | 419.3 | +30.0 % | "
                + "< 0.0001 | **slower** |",
            report
        );
    }

    [Fact]
    public async Task NoiseAloneDoesNotFail()
    {
        var baseRun = WriteRun("base", (_, _, value) => value);

        // Up to 3 % up or down, varying with the sample: below the 10 % threshold.
        var newRun = WriteRun("new", (phase, index, value) =>
            value * (1 + 0.03 * Math.Sin(index * 2.1 + phase.Length))
        );

        var exitCode = await CompareAsync(baseRun, newRun);

        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Fact]
    public async Task SignificantSpeedupPasses()
    {
        var baseRun = WriteRun("base", (_, _, value) => value);
        var newRun = WriteRun("new", (phase, _, value) =>
            phase == Phase.Pull ? value * 0.5 : value
        );

        var exitCode = await CompareAsync(baseRun, newRun);
        var report = await File.ReadAllTextAsync(Path.Combine(newRun, "compare.md"));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("| hello | overlayfs | pull |", report);
        Assert.Contains("faster", report);
    }

    [Fact]
    public async Task FolderWithoutSamplesIsInvalidInput()
    {
        var run = WriteRun("base", (_, _, value) => value);
        var empty = folder.File("empty");
        Directory.CreateDirectory(empty);

        var exitCode = await CompareAsync(run, empty);

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.False(File.Exists(Path.Combine(empty, "compare.md")));
    }

    [Fact]
    public async Task InvalidThresholdIsInvalidInput()
    {
        var run = WriteRun("base", (_, _, value) => value);

        var exitCode = await CompareAsync(run, run, "--threshold", "-5%");

        Assert.Equal(ExitCodes.InvalidInput, exitCode);
    }

    [Fact]
    public void ThresholdParsesPercent()
    {
        Assert.Equal(0.1, CompareCommand.ParseThreshold("10%"), 12);
        Assert.Equal(0.025, CompareCommand.ParseThreshold("2.5"), 12);
        Assert.Throws<HarnessException>(() => CompareCommand.ParseThreshold("ten"));
    }
}
