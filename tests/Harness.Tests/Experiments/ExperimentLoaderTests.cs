using System.Text.Json.Nodes;
using Harness.Commands;
using Harness.Experiments;
using Harness.Images;
using Xunit;

namespace Harness.Tests.Experiments;

public sealed class ExperimentLoaderTests : IDisposable
{
    private readonly TemporaryWorkloads workloads = new(ExperimentFixtures.Workloads);

    public void Dispose() => workloads.Dispose();

    [Fact]
    public void MinimalFileGetsDefaults()
    {
        var experiment = ExperimentFixtures.Load("valid.json", workloads.Root).Experiment;

        Assert.Equal("valid", experiment.Name);
        Assert.Null(experiment.Description);
        Assert.Equal(["hello"], experiment.Workloads);
        Assert.Equal([ImageVariant.Overlayfs, ImageVariant.EStargz], experiment.Variants);
        Assert.Equal(3, experiment.Repetitions);
        Assert.Equal(1, experiment.Warmup);
        Assert.True(experiment.Order.Shuffle);
        Assert.Equal(42, experiment.Order.Seed);
        Assert.Equal(300, experiment.Timeouts.PullSeconds);
        Assert.Equal(60, experiment.Timeouts.ReadySeconds);
        Assert.Equal(30, experiment.Timeouts.RequestSeconds);
        Assert.Equal("local", experiment.Backend);
        Assert.Null(experiment.Network);
        Assert.Null(experiment.Knative);
    }

    [Fact]
    public void EverySettingIsRead()
    {
        var experiment = ExperimentFixtures.Load("full-settings.json", workloads.Root).Experiment;

        Assert.Equal("every-setting", experiment.Name);
        Assert.Equal("Sets every key once.", experiment.Description);
        Assert.Equal(["hello", "other"], experiment.Workloads);
        Assert.Equal(
            [ImageVariant.Overlayfs, ImageVariant.EStargzNoopt, ImageVariant.EStargz],
            experiment.Variants
        );
        Assert.Equal(5, experiment.Repetitions);
        Assert.Equal(2, experiment.Warmup);
        Assert.False(experiment.Order.Shuffle);
        Assert.Equal(7, experiment.Order.Seed);
        Assert.Equal(120, experiment.Timeouts.PullSeconds);
        Assert.Equal(30.5, experiment.Timeouts.ReadySeconds);
        Assert.Equal(10, experiment.Timeouts.RequestSeconds);
        Assert.Equal(
            new NetworkLink
            {
                BandwidthMbit = 100,
                RttMs = 20,
                LossPercent = 0.5,
            },
            experiment.Network
        );
        var knative = Assert.IsType<KnativeSettings>(experiment.Knative);
        Assert.Equal("test", knative.Context);
        Assert.Equal("bench", knative.Namespace);
        Assert.Equal("127.0.0.1:5000/harness", knative.ImageRepository);
        Assert.True(knative.UseKn);
        Assert.Equal("127.0.0.1:31080", knative.Ingress);
        Assert.Null(knative.Kubeconfig);
    }

    [Fact]
    public void FileHashIsSha256OfBytes()
    {
        var loaded = ExperimentFixtures.Load("valid.json", workloads.Root);

        // Computed with: sha256sum tests/Harness.Tests/Fixtures/Experiments/valid.json
        Assert.Equal(
            "84e92c23fcb16418e80a687c87cf85ce157dd5ac963ebb6a314df8fcb63ec4d6",
            loaded.FileSha256
        );
        Assert.Equal(ExperimentFixtures.PathOf("valid.json"), loaded.FilePath);
    }

    [Fact]
    public void SettingsUseFileLayout()
    {
        var settings = ExperimentFixtures.Load("full-settings.json", workloads.Root).Settings;

        var expected = JsonNode.Parse(
            """
            {
              "name": "every-setting",
              "description": "Sets every key once.",
              "workloads": ["hello", "other"],
              "variants": ["overlayfs", "estargz-noopt", "estargz"],
              "repetitions": 5,
              "warmup": 2,
              "order": { "shuffle": false, "seed": 7 },
              "timeouts": { "pullSeconds": 120, "readySeconds": 30.5, "requestSeconds": 10 },
              "backend": "local",
              "network": { "bandwidthMbit": 100, "rttMs": 20, "lossPercent": 0.5 },
              "knative": {
                "kubeconfig": null,
                "context": "test",
                "namespace": "bench",
                "imageRepository": "127.0.0.1:5000/harness",
                "vhivePath": null,
                "useKn": true,
                "ingress": "127.0.0.1:31080",
                "templates": null,
                "scaleToZeroSeconds": 90,
                "evictImages": false,
                "nodeName": "node-1",
                "containerdConfig": "/etc/containerd/test.toml",
                "stargzRoot": "/var/lib/test-stargz"
              }
            }
            """
        );
        Assert.True(JsonNode.DeepEquals(expected, settings), settings.ToJsonString());
    }

    [Fact]
    public void SettingsOfMinimalFileHaveNullSections()
    {
        var settings = ExperimentFixtures.Load("valid.json", workloads.Root).Settings;

        Assert.Null(settings["network"]);
        Assert.Null(settings["knative"]);
        Assert.Null(settings["description"]);
        Assert.Equal(300.0, settings["timeouts"]!["pullSeconds"]!.GetValue<double>());
    }

    [Fact]
    public void SetOverridesAreRecorded()
    {
        var loaded = ExperimentFixtures.Load(
            "valid.json",
            workloads.Root,
            "repetitions=4",
            "order.seed=5"
        );

        Assert.Equal(4, loaded.Experiment.Repetitions);
        Assert.Equal(5, loaded.Experiment.Order.Seed);
        Assert.Equal(["--set repetitions=4", "--set order.seed=5"], loaded.Overrides);
        Assert.Equal(4, loaded.Settings["repetitions"]!.GetValue<int>());
    }

    [Fact]
    public void SetListReplacesWholeList()
    {
        var experiment = ExperimentFixtures
            .Load("full-settings.json", workloads.Root, "variants=estargz, overlayfs")
            .Experiment;

        Assert.Equal([ImageVariant.EStargz, ImageVariant.Overlayfs], experiment.Variants);
    }

    [Fact]
    public void SetListItemReplacesWholeList()
    {
        var experiment = ExperimentFixtures
            .Load("full-settings.json", workloads.Root, "variants.0=estargz")
            .Experiment;

        Assert.Equal([ImageVariant.EStargz], experiment.Variants);
    }

    [Fact]
    public void SetNestedKeyKeepsSiblings()
    {
        var experiment = ExperimentFixtures
            .Load("full-settings.json", workloads.Root, "network.rttMs=40")
            .Experiment;

        Assert.Equal(
            new NetworkLink
            {
                BandwidthMbit = 100,
                RttMs = 40,
                LossPercent = 0.5,
            },
            experiment.Network
        );
    }

    [Theory]
    [InlineData("order.seed=9")]
    [InlineData("order:seed=9")]
    [InlineData("Order.Seed=9")]
    public void SetAcceptsDotColonAndAnyCase(string argument)
    {
        var experiment = ExperimentFixtures.Load("valid.json", workloads.Root, argument).Experiment;

        Assert.Equal(9, experiment.Order.Seed);
    }

    [Theory]
    [InlineData("order.seed=")]
    [InlineData("order.seed=null")]
    public void SetCanClearSeed(string argument)
    {
        var experiment = ExperimentFixtures.Load("valid.json", workloads.Root, argument).Experiment;

        Assert.Null(experiment.Order.Seed);
    }

    [Fact]
    public void SetValueMayContainEquals()
    {
        var experiment = ExperimentFixtures
            .Load("valid.json", workloads.Root, "description=a=b")
            .Experiment;

        Assert.Equal("a=b", experiment.Description);
    }

    [Fact]
    public void SetAddsNetworkToFileWithout()
    {
        var experiment = ExperimentFixtures
            .Load("valid.json", workloads.Root, "network.bandwidthMbit=50", "network.rttMs=0")
            .Experiment;

        Assert.Equal(new NetworkLink { BandwidthMbit = 50, RttMs = 0 }, experiment.Network);
    }

    [Fact]
    public void MissingFileIsHarnessException()
    {
        var path = Path.Combine(workloads.RepositoryRoot, "absent.json");

        var exception = Assert.Throws<HarnessException>(() =>
            ExperimentLoader.Load(path, [], workloads.Root)
        );

        Assert.Contains(
            $"Experiment file {path} not found",
            exception.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(ExitCodes.InvalidInput, exception.ExitCode);
    }

    [Fact]
    public void FileWithByteOrderMarkLoads()
    {
        var path = Path.Combine(workloads.RepositoryRoot, "bom.json");
        File.WriteAllBytes(
            path,
            [0xEF, 0xBB, 0xBF, .. "{\"workloads\":[\"hello\"],\"variants\":[\"estargz\"]}"u8]
        );

        var experiment = ExperimentLoader.Load(path, [], workloads.Root).Experiment;

        Assert.Equal([ImageVariant.EStargz], experiment.Variants);
    }
}
