using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Experiments;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class ManifestTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private async Task<RunManifest> CreateAsync()
    {
        var experimentFile = folder.File("experiment.json");
        await File.WriteAllTextAsync(experimentFile, "abc");
        return await RunManifestFactory.CreateAsync(
            experimentFile,
            JsonNode.Parse("""{"name": "nodejs", "repetitions": 10}""")!,
            seed: 42,
            new Dictionary<string, string> { ["containerd"] = "1.6.20", ["runc"] = "1.1.5" },
            new LinkReport
            {
                Applied = new NetworkLink { BandwidthMbit = 100, RttMs = 20 },
                Measured = new NetworkLink { BandwidthMbit = 97.5, RttMs = 20.4 },
            },
            new DateTimeOffset(2026, 1, 31, 13, 0, 0, TimeSpan.FromHours(1)),
            CancellationToken.None
        );
    }

    [Fact]
    public async Task ManifestRecordsEveryField()
    {
        var manifest = await CreateAsync();
        var path = folder.File("manifest.json");

        await RunManifestFile.WriteAsync(path, manifest, CancellationToken.None);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = document.RootElement;

        Assert.False(string.IsNullOrEmpty(root.GetProperty("harness_version").GetString()));
        Assert.True(root.TryGetProperty("git_commit", out _));
        Assert.True(root.TryGetProperty("git_dirty", out _));

        // SHA-256 of the three bytes "abc", the test vector of FIPS 180-2.
        Assert.Equal(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            root.GetProperty("experiment_sha256").GetString()
        );
        Assert.Equal("nodejs", root.GetProperty("experiment").GetProperty("name").GetString());
        Assert.Equal(10, root.GetProperty("experiment").GetProperty("repetitions").GetInt32());
        Assert.Equal(42, root.GetProperty("seed").GetInt64());
        Assert.Equal(
            "1.6.20",
            root.GetProperty("components").GetProperty("containerd").GetString()
        );

        // 13:00 at UTC+1 is 12:00 UTC.
        Assert.Equal("2026-01-31T12:00:00.000Z", root.GetProperty("started_at").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ended_at").ValueKind);
        Assert.Equal("running", root.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ManifestRecordsHostAndLink()
    {
        var manifest = await CreateAsync();
        var path = folder.File("manifest.json");

        await RunManifestFile.WriteAsync(path, manifest, CancellationToken.None);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var host = document.RootElement.GetProperty("host");
        var link = document.RootElement.GetProperty("link");

        Assert.StartsWith("Linux ", host.GetProperty("kernel").GetString());
        Assert.Equal(Environment.ProcessorCount, host.GetProperty("cpu_count").GetInt32());
        Assert.True(host.GetProperty("memory_bytes").GetInt64() > 0);
        Assert.Equal(100, link.GetProperty("applied").GetProperty("bandwidth_mbit").GetDouble());
        Assert.Equal(20.4, link.GetProperty("measured").GetProperty("rtt_ms").GetDouble());
    }

    [Fact]
    public async Task RewriteReplacesManifestAtomically()
    {
        var path = folder.File("manifest.json");
        var manifest = await CreateAsync();
        await RunManifestFile.WriteAsync(path, manifest, CancellationToken.None);

        var ended = manifest with
        {
            EndedAt = new DateTimeOffset(2026, 1, 31, 12, 30, 0, TimeSpan.Zero),
            Status = RunStatus.Interrupted,
        };
        await RunManifestFile.WriteAsync(path, ended, CancellationToken.None);
        var read = await RunManifestFile.ReadAsync(path, CancellationToken.None);

        Assert.Equal(RunStatus.Interrupted, read.Status);
        Assert.Equal(ended.EndedAt, read.EndedAt);
        Assert.Equal(manifest.ExperimentSha256, read.ExperimentSha256);
        Assert.Equal(
            ["manifest.json", "experiment.json"],
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order().Reverse()
        );
    }

    [Fact]
    public async Task MissingExperimentFileIsReported()
    {
        var error = await Assert.ThrowsAsync<HarnessException>(() =>
            RunManifestFactory.HashFileAsync(folder.File("none.json"), CancellationToken.None)
        );

        Assert.Contains("Experiment file not found", error.Message);
    }

    [Fact]
    public void MeminfoKilobytesAreKibibytes()
    {
        Assert.Equal(16 * 1024, HostProbe.ParseKibibytes("16 kB"));
        Assert.Null(HostProbe.ParseKibibytes("16 MB"));
        Assert.Null(HostProbe.ParseKibibytes(null));
    }
}
