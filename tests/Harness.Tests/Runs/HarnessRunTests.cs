using System.Globalization;
using System.Text.Json;
using Harness.Measurement;
using Harness.Native;
using Harness.Node;
using Harness.Reporting;
using Harness.Tests.Infrastructure;
using Harness.Tests.Node;

namespace Harness.Tests.Runs;

/// <summary>
/// <c>harness run</c> end to end on a node of its own: real images of the default workload,
/// real cold starts, the files a user reads afterwards, Ctrl-C and resume.
/// </summary>
[Collection(LocalNodeCollection.Name)]
public sealed class HarnessRunTests : IDisposable
{
    private const int TimeoutMs = 1_500_000;
    private readonly HarnessProcess harness = new("run", 15013);
    private readonly string resultsRoot = Directory
        .CreateTempSubdirectory("harness-results-")
        .FullName;

    public void Dispose()
    {
        harness.RunAsync(["node", "down"]).GetAwaiter().GetResult();
        Directory.Delete(resultsRoot, recursive: true);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Run_WritesResultsWithProvenLaziness()
    {
        var (exitCode, output) = await harness.RunAsync([
            "run",
            ExperimentPath("nodejs.json"),
            "--results",
            resultsRoot,
            "--set",
            "repetitions=2",
            "--set",
            "warmup=0",
        ]);

        Assert.True(exitCode == 0, output);
        var folder = SingleResultsFolder();
        var samples = SampleCsvReader.Read(folder.SamplesPath);
        Assert.Equal(6, samples.Count);
        foreach (var sample in samples)
        {
            Assert.True(sample.Status == SampleStatus.Ok, $"{sample.Variant}: {sample.Error}");
            Assert.Equal(sample.Variant != "overlayfs", sample.Lazy);
            Assert.True(sample.BytesFetched > 0);
            Assert.True(sample.ImageBytes > 0);
            var parts = new[]
            {
                sample.PullMs,
                sample.CreateMs,
                sample.StartMs,
                sample.ReadyMs,
                sample.FirstResponseMs,
            };
            Assert.InRange(
                parts.Sum(part => part!.Value),
                sample.TotalMs!.Value * 0.95,
                sample.TotalMs.Value * 1.05
            );
        }

        var summary = File.ReadAllLines(folder.SummaryPath);
        Assert.StartsWith("workload,variant,phase", summary[0]);
        Assert.Equal(1 + (3 * 6), summary.Length);
        using var manifest = JsonDocument.Parse(File.ReadAllText(folder.ManifestPath));
        Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());
        Assert.Equal(20240611, manifest.RootElement.GetProperty("seed").GetInt64());
        foreach (var figure in new[] { "phases.png", "phases.svg", "cdf-nodejs-hello.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder.FiguresPath, figure)), figure);
        }
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Interrupt_KeepsRowsAndResumeFinishes()
    {
        string[] run =
        [
            "run",
            ExperimentPath("nodejs.json"),
            "--results",
            resultsRoot,
            "--set",
            "repetitions=2",
            "--set",
            "warmup=0",
            "--set",
            "variants=estargz",
        ];

        var (interruptedExit, interruptedOutput) = await harness.RunAsync(run, "[1/2]");

        Assert.True(interruptedExit == 130, interruptedOutput);
        var folder = SingleResultsFolder();
        var rows = SampleCsvReader.Read(folder.SamplesPath);
        Assert.Equal(SampleStatus.Ok, rows[0].Status);
        Assert.All(rows.Skip(1), row => Assert.Equal(SampleStatus.Interrupted, row.Status));
        string startedAt;
        using (var manifest = JsonDocument.Parse(File.ReadAllText(folder.ManifestPath)))
        {
            Assert.Equal("interrupted", manifest.RootElement.GetProperty("status").GetString());
            startedAt = manifest.RootElement.GetProperty("started_at").GetString()!;
        }

        var (resumedExit, resumedOutput) = await harness.RunAsync(["run", "--resume", folder.Path]);

        Assert.True(resumedExit == 0, resumedOutput);
        var finished = SampleCsvReader.Read(folder.SamplesPath);
        var measured = finished.Where(row => row.Status == SampleStatus.Ok).ToList();
        Assert.Equal([0, 1], measured.Select(row => row.Repetition).Order());
        Assert.Equal(rows[0].StartedAt, finished[0].StartedAt);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(folder.ManifestPath)))
        {
            Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());
            Assert.Equal(startedAt, manifest.RootElement.GetProperty("started_at").GetString());
        }

        var (againExit, againOutput) = await harness.RunAsync(["run", "--resume", folder.Path]);

        Assert.True(againExit == 0, againOutput);
        Assert.Contains("nothing to resume", againOutput);
        Assert.Equal(finished.Count, SampleCsvReader.Read(folder.SamplesPath).Count);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Sigkill_NodeDownLeavesNoLinkBehind()
    {
        string[] run =
        [
            "run",
            ExperimentPath("nodejs.json"),
            "--results",
            resultsRoot,
            "--set",
            "repetitions=2",
            "--set",
            "warmup=0",
            "--set",
            "variants=overlayfs",
        ];

        var (killedExit, killedOutput) = await harness.RunAsync(
            run,
            "Running 2 samples",
            LibC.SIGKILL
        );
        var linkRecord = Path.Combine(harness.RunDirectory, "registry-link.json");
        var recordLeftByKill = File.Exists(linkRecord);
        var (statusExit, statusOutput) = await harness.RunAsync(["node", "status"]);
        var (downExit, downOutput) = await harness.RunAsync(["node", "down"]);

        Assert.True(killedExit == 128 + LibC.SIGKILL, killedOutput);
        Assert.True(recordLeftByKill, "the killed run left no link record to clean up");
        Assert.True(statusExit == 0, statusOutput);
        Assert.Contains("emulation off", statusOutput);
        Assert.True(downExit == 0, downOutput);
        Assert.False(File.Exists(linkRecord));
        Assert.Empty(DaemonProcess.FindByCommandLine(harness.RunDirectory));
        Assert.Empty(MountTable.Below(harness.StateDirectory));
        Assert.Empty(MountTable.Below(harness.RunDirectory));
    }

    private ResultsFolder SingleResultsFolder()
    {
        var folders = Directory.GetDirectories(Path.Combine(resultsRoot, "nodejs"));
        Assert.Single(folders);
        return ResultsFolder.Open(folders[0]);
    }

    private static string ExperimentPath(string file) =>
        Path.Combine(HarnessPaths.RepositoryRoot, "experiments", file);
}
