using Harness.Experiments;
using Xunit;

namespace Harness.Tests.Experiments;

/// <summary>Locates the experiment fixture files and loads them.</summary>
public static class ExperimentFixtures
{
    /// <summary>Workloads that the fixtures refer to.</summary>
    public static readonly string[] Workloads = ["hello", "other"];

    /// <summary>Returns the full path of a fixture in <c>Fixtures/Experiments</c>.</summary>
    public static string PathOf(string fileName) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Experiments", fileName);

    /// <summary>Loads a fixture against the given workloads root.</summary>
    public static LoadedExperiment Load(
        string fileName,
        string workloadsRoot,
        params string[] setArguments
    ) => ExperimentLoader.Load(PathOf(fileName), setArguments, workloadsRoot);

    /// <summary>Loads a fixture that must be invalid and returns the exception.</summary>
    public static ExperimentValidationException LoadInvalid(
        string fileName,
        string workloadsRoot,
        params string[] setArguments
    ) =>
        Assert.Throws<ExperimentValidationException>(() =>
            Load(fileName, workloadsRoot, setArguments)
        );
}
