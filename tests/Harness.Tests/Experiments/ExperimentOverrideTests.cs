using Harness.Experiments;
using Harness.Images;
using Xunit;

namespace Harness.Tests.Experiments;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ExperimentOverrideTests : IDisposable
{
    private readonly TemporaryWorkloads workloads = new(ExperimentFixtures.Workloads);
    private readonly EnvironmentVariableScope environment = new();

    public void Dispose()
    {
        environment.Dispose();
        workloads.Dispose();
    }

    // valid.json sets repetitions 3 and order.seed 42.
    [Fact]
    public void FileValueAppliesWithoutOverrides()
    {
        var experiment = ExperimentFixtures.Load("valid.json", workloads.Root).Experiment;

        Assert.Equal(3, experiment.Repetitions);
        Assert.Equal(42, experiment.Order.Seed);
    }

    [Fact]
    public void EnvironmentOverridesFile()
    {
        environment.Set("HARNESS_REPETITIONS", "7").Set("HARNESS_ORDER__SEED", "11");

        var loaded = ExperimentFixtures.Load("valid.json", workloads.Root);

        Assert.Equal(7, loaded.Experiment.Repetitions);
        Assert.Equal(11, loaded.Experiment.Order.Seed);
        Assert.Contains("HARNESS_REPETITIONS=7", loaded.Overrides);
        Assert.Contains("HARNESS_ORDER__SEED=11", loaded.Overrides);
    }

    [Fact]
    public void SetOverridesEnvironment()
    {
        environment.Set("HARNESS_REPETITIONS", "7").Set("HARNESS_ORDER__SEED", "11");

        var loaded = ExperimentFixtures.Load(
            "valid.json",
            workloads.Root,
            "repetitions=9",
            "order.seed=12"
        );

        Assert.Equal(9, loaded.Experiment.Repetitions);
        Assert.Equal(12, loaded.Experiment.Order.Seed);
        // Environment variables come in no fixed order, but always before the --set values.
        Assert.Equal(
            ["HARNESS_ORDER__SEED=11", "HARNESS_REPETITIONS=7"],
            loaded.Overrides.Take(2).Order(StringComparer.Ordinal)
        );
        Assert.Equal(["--set repetitions=9", "--set order.seed=12"], loaded.Overrides.Skip(2));
    }

    [Fact]
    public void EachLayerOverridesOnlyItsKeys()
    {
        // File: repetitions 3, warmup 1, seed 42. Environment: warmup 2, seed 11. --set: seed 12.
        environment.Set("HARNESS_WARMUP", "2").Set("HARNESS_ORDER__SEED", "11");

        var experiment = ExperimentFixtures
            .Load("valid.json", workloads.Root, "order.seed=12")
            .Experiment;

        Assert.Equal(3, experiment.Repetitions);
        Assert.Equal(2, experiment.Warmup);
        Assert.Equal(12, experiment.Order.Seed);
    }

    [Fact]
    public void EnvironmentListReplacesFileList()
    {
        environment.Set("HARNESS_VARIANTS", "estargz-noopt");

        var experiment = ExperimentFixtures.Load("full-settings.json", workloads.Root).Experiment;

        Assert.Equal([ImageVariant.EStargzNoopt], experiment.Variants);
    }

    [Fact]
    public void SetListReplacesEnvironmentList()
    {
        environment.Set("HARNESS_VARIANTS", "estargz-noopt");

        var experiment = ExperimentFixtures
            .Load("full-settings.json", workloads.Root, "variants=overlayfs,estargz")
            .Experiment;

        Assert.Equal([ImageVariant.Overlayfs, ImageVariant.EStargz], experiment.Variants);
    }

    [Fact]
    public void EnvironmentNestedValueKeepsFileSiblings()
    {
        environment.Set("HARNESS_NETWORK__RTTMS", "35");

        var experiment = ExperimentFixtures.Load("full-settings.json", workloads.Root).Experiment;

        Assert.Equal(
            new NetworkLink
            {
                BandwidthMbit = 100,
                RttMs = 35,
                LossPercent = 0.5,
            },
            experiment.Network
        );
    }

    [Fact]
    public void InvalidEnvironmentValueNamesVariable()
    {
        environment.Set("HARNESS_REPETITIONS", "0");

        var exception = ExperimentFixtures.LoadInvalid("valid.json", workloads.Root);

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("repetitions", problem.Path);
        Assert.Equal("HARNESS_REPETITIONS=0", problem.Origin);
        Assert.Equal(2, exception.ExitCode);
    }

    [Fact]
    public void MisspeltEnvironmentVariableIsReported()
    {
        environment.Set("HARNESS_REPETITONS", "3");

        var exception = ExperimentFixtures.LoadInvalid("valid.json", workloads.Root);

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("HARNESS_REPETITONS=3", problem.Origin);
        Assert.Contains("did you mean `repetitions`?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnrelatedHarnessVariablesAreIgnored()
    {
        environment
            .Set("HARNESS_STATE_DIR", workloads.RepositoryRoot)
            .Set("HARNESS_RUN_DIR", workloads.RepositoryRoot)
            .Set("HARNESS_CACHE_DIR", workloads.RepositoryRoot)
            .Set("HARNESS_ROOT", workloads.RepositoryRoot)
            .Set("HARNESS_REGISTRY_PORT", "5000");

        var loaded = ExperimentFixtures.Load("valid.json", workloads.Root);

        Assert.Empty(loaded.Overrides);
    }

    [Fact]
    public void DefaultWorkloadsRootFollowsHarnessRoot()
    {
        environment.Set("HARNESS_ROOT", workloads.RepositoryRoot);

        var experiment = ExperimentLoader.Load(ExperimentFixtures.PathOf("valid.json")).Experiment;

        Assert.Equal(["hello"], experiment.Workloads);
    }
}
