using Harness.Experiments;
using Harness.Images;
using Xunit;

namespace Harness.Tests.Experiments;

/// <summary>Checks the experiment files shipped in the repository's experiments folder.</summary>
public sealed class ExperimentFilesTests : IDisposable
{
    private readonly TemporaryWorkloads workloads = new(
        "nodejs-hello",
        "python-hello",
        "nodejs-express-app"
    );

    public void Dispose() => workloads.Dispose();

    public static TheoryData<string> ExperimentFiles() =>
        new(Directory.GetFiles(ExperimentsFolder(), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ExperimentFiles))]
    public void ExperimentFileIsValid(string fileName)
    {
        var loaded = ExperimentLoader.Load(
            Path.Combine(ExperimentsFolder(), fileName),
            [],
            workloads.Root
        );

        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), loaded.Experiment.Name);
        Assert.False(string.IsNullOrWhiteSpace(loaded.Experiment.Description));
        Assert.NotNull(loaded.Experiment.Order.Seed);
    }

    [Fact]
    public void DefaultExperimentMatchesItsDescription()
    {
        var experiment = ExperimentLoader
            .Load(Path.Combine(ExperimentsFolder(), "nodejs.json"), [], workloads.Root)
            .Experiment;

        Assert.Equal(["nodejs-hello"], experiment.Workloads);
        Assert.Equal(
            [ImageVariant.Overlayfs, ImageVariant.EStargzNoopt, ImageVariant.EStargz],
            experiment.Variants
        );
        Assert.Equal(10, experiment.Repetitions);
        Assert.Equal(1, experiment.Warmup);
        Assert.True(experiment.Order.Shuffle);
        Assert.Equal("local", experiment.Backend);
        Assert.Equal(new NetworkLink { BandwidthMbit = 100, RttMs = 20 }, experiment.Network);
    }

    [Theory]
    [InlineData("python.json", "python-hello")]
    [InlineData("nodejs-express.json", "nodejs-express-app")]
    [InlineData("knative-nodejs.json", "nodejs-hello")]
    public void ExperimentFileNamesItsWorkload(string fileName, string workload)
    {
        var experiment = ExperimentLoader
            .Load(Path.Combine(ExperimentsFolder(), fileName), [], workloads.Root)
            .Experiment;

        Assert.Equal([workload], experiment.Workloads);
    }

    [Fact]
    public void KnativeExperimentUsesKnativeBackend()
    {
        var experiment = ExperimentLoader
            .Load(Path.Combine(ExperimentsFolder(), "knative-nodejs.json"), [], workloads.Root)
            .Experiment;

        Assert.Equal("knative", experiment.Backend);
        var knative = Assert.IsType<KnativeSettings>(experiment.Knative);
        Assert.Equal("127.0.0.1:31080", knative.Ingress);
    }

    private static string ExperimentsFolder()
    {
        for (
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            folder is not null;
            folder = folder.Parent
        )
        {
            if (File.Exists(Path.Combine(folder.FullName, "Harness.sln")))
            {
                return Path.Combine(folder.FullName, "experiments");
            }
        }

        throw new InvalidOperationException(
            $"No Harness.sln above {AppContext.BaseDirectory}. Run the tests inside the "
                + "repository."
        );
    }
}
