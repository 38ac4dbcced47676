using Harness.Commands;
using Harness.Experiments;
using Xunit;

namespace Harness.Tests.Experiments;

public sealed class ExperimentValidationTests : IDisposable
{
    private readonly TemporaryWorkloads workloads = new(ExperimentFixtures.Workloads);

    public void Dispose() => workloads.Dispose();

    [Theory]
    [InlineData("malformed-json.json", "", "malformed JSON at line 3, position 3", 1)]
    [InlineData("top-level-array.json", "", "found a JSON array at the top of the file", 1)]
    [InlineData("duplicate-key.json", "Repetitions", "appears more than once", 1)]
    [InlineData("unknown-key.json", "repetitons", "did you mean `repetitions`?", 1)]
    [InlineData("unknown-nested-key.json", "order.sede", "did you mean `seed`?", 1)]
    [InlineData("unknown-variant.json", "variants[1]", "unknown variant `estargz-opt`", 1)]
    [InlineData("unknown-backend.json", "backend", "expected local or knative", 1)]
    [InlineData(
        "zero-repetitions.json",
        "repetitions",
        "found `0`, expected a whole number from 1 to 10000",
        1
    )]
    [InlineData("negative-repetitions.json", "repetitions", "found `-2`", 1)]
    [InlineData("fractional-repetitions.json", "repetitions", "found `2.5`", 1)]
    [InlineData(
        "negative-warmup.json",
        "warmup",
        "found `-1`, expected a whole number from 0 to 10000",
        1
    )]
    [InlineData(
        "missing-workload.json",
        "workloads[0]",
        "Available workloads: hello, other (did you mean `hello`?)",
        1
    )]
    [InlineData("workload-without-manifest.json", "workloads[0]", "has no workload.json", 1)]
    [InlineData("workload-path.json", "workloads[0]", "expected the name of a folder", 1)]
    [InlineData("empty-workloads.json", "workloads", "the list is empty", 1)]
    [InlineData("empty-variants.json", "variants", "the list is empty", 1)]
    [InlineData(
        "missing-variants.json",
        "variants",
        "missing, expected a list of variants from overlayfs, estargz-noopt, estargz",
        1
    )]
    [InlineData(
        "duplicate-variant.json",
        "variants[2]",
        "`estargz` is listed twice (first at variants[0])",
        1
    )]
    [InlineData("duplicate-workload.json", "workloads[1]", "`hello` is listed twice", 1)]
    [InlineData("network-out-of-range.json", "network.bandwidthMbit", "found `0`", 3)]
    [InlineData("network-out-of-range.json", "network.rttMs", "found `-5`", 3)]
    [InlineData("network-out-of-range.json", "network.lossPercent", "found `100`", 3)]
    [InlineData("network-missing-rtt.json", "network.rttMs", "missing", 1)]
    [InlineData("knative-without-settings.json", "knative", "needs a `knative` section", 1)]
    [InlineData("knative-bad-settings.json", "knative.namespace", "found `Bench_NS`", 4)]
    [InlineData("knative-bad-settings.json", "knative.ingress", "found `127.0.0.1`", 4)]
    [InlineData(
        "knative-bad-settings.json",
        "knative.imageRepository",
        "found `http://127.0.0.1",
        4
    )]
    [InlineData("knative-bad-settings.json", "knative.kubeconfig", "not found", 4)]
    [InlineData("wrong-shapes.json", "workloads", "found an object, expected a list", 4)]
    [InlineData("wrong-shapes.json", "variants[1]", "found an object or a list", 4)]
    [InlineData(
        "wrong-shapes.json",
        "repetitions",
        "found an object or a list, expected a whole",
        4
    )]
    [InlineData(
        "wrong-shapes.json",
        "order",
        "found `5`, expected an object with the keys shuffle",
        4
    )]
    [InlineData("not-numbers.json", "repetitions", "found `ten`", 5)]
    [InlineData("not-numbers.json", "timeouts.pullSeconds", "found `soon`", 5)]
    [InlineData("not-numbers.json", "timeouts.readySeconds", "found `0`", 5)]
    [InlineData("not-numbers.json", "order.shuffle", "found `yes`, expected true or false", 5)]
    [InlineData("not-numbers.json", "order.seed", "found `-1`", 5)]
    [InlineData("invalid-name.json", "name", "found `my experiment`", 1)]
    public void InvalidFixtureNamesTheField(
        string fixture,
        string path,
        string messagePart,
        int problemCount
    )
    {
        var exception = ExperimentFixtures.LoadInvalid(fixture, workloads.Root);

        Assert.Equal(ExitCodes.InvalidInput, exception.ExitCode);
        Assert.Equal(problemCount, exception.Problems.Count);
        var problem = Assert.Single(exception.Problems, problem => problem.Path == path);
        Assert.Contains(messagePart, problem.Message, StringComparison.Ordinal);
        Assert.Contains(problem.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyProblemsAreReportedTogether()
    {
        var exception = ExperimentFixtures.LoadInvalid("many-problems.json", workloads.Root);

        string[] expectedPaths =
        [
            "repetitons",
            "workloads[0]",
            "workloads[2]",
            "variants[1]",
            "repetitions",
            "warmup",
            "backend",
            "network.bandwidthMbit",
        ];
        Assert.Equal(
            expectedPaths.Order(StringComparer.Ordinal),
            exception.Problems.Select(problem => problem.Path).Order(StringComparer.Ordinal)
        );
        Assert.Contains("(8 problems)", exception.Message, StringComparison.Ordinal);
        foreach (var problem in exception.Problems)
        {
            Assert.Contains(problem.ToString(), exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ValidationExceptionIsHarnessException()
    {
        var exception = ExperimentFixtures.LoadInvalid("unknown-key.json", workloads.Root);

        var harnessException = Assert.IsAssignableFrom<HarnessException>(exception);
        Assert.Equal(2, harnessException.ExitCode);
    }

    [Theory]
    [InlineData("repetitions")]
    [InlineData("=3")]
    [InlineData("order..seed=3")]
    public void SetWithoutKeyAndValueIsReported(string argument)
    {
        var exception = ExperimentFixtures.LoadInvalid("valid.json", workloads.Root, argument);

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("--set", problem.Path);
        Assert.Contains(
            $"found `{argument}`, expected key=value",
            problem.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(ExitCodes.InvalidInput, exception.ExitCode);
    }

    [Fact]
    public void SetWithUnknownKeySuggestsTheKnownOne()
    {
        var exception = ExperimentFixtures.LoadInvalid(
            "valid.json",
            workloads.Root,
            "repetitons=3"
        );

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("repetitons", problem.Path);
        Assert.Equal("--set repetitons=3", problem.Origin);
        Assert.Contains("did you mean `repetitions`?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetWithUnknownNestedKeyNamesItsPath()
    {
        var exception = ExperimentFixtures.LoadInvalid(
            "valid.json",
            workloads.Root,
            "network.bandwidthMbit=100",
            "network.rttMs=20",
            "network.rtt=20"
        );

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("network.rtt", problem.Path);
        Assert.Contains(
            "Allowed keys in `network`: bandwidthMbit, rttMs, lossPercent",
            problem.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void SetWithInvalidValueNamesTheOverride()
    {
        var exception = ExperimentFixtures.LoadInvalid(
            "valid.json",
            workloads.Root,
            "order.seed=abc",
            "variants=overlayfs,bogus"
        );

        Assert.Equal(2, exception.Problems.Count);
        var seed = Assert.Single(exception.Problems, problem => problem.Path == "order.seed");
        Assert.Equal("--set order.seed=abc", seed.Origin);
        var variant = Assert.Single(exception.Problems, problem => problem.Path == "variants[1]");
        Assert.Equal("--set variants=overlayfs,bogus", variant.Origin);
        Assert.Contains(
            "variants[1] (from --set variants=overlayfs,bogus): unknown variant `bogus`",
            exception.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void SetProblemsAreReportedWithMalformedJson()
    {
        var exception = ExperimentFixtures.LoadInvalid(
            "malformed-json.json",
            workloads.Root,
            "repetitions"
        );

        Assert.Equal(2, exception.Problems.Count);
        Assert.Contains(exception.Problems, problem => problem.Path == "--set");
        Assert.Contains(exception.Problems, problem =>
            problem.Message.StartsWith("malformed JSON", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void KnativePathsAreNotCheckedForLocalBackend()
    {
        var loaded = ExperimentFixtures.Load(
            "knative-bad-settings.json",
            workloads.Root,
            "backend=local",
            "knative.namespace=bench",
            "knative.ingress=127.0.0.1:31080",
            "knative.imageRepository=127.0.0.1:5000/harness"
        );

        Assert.Equal("local", loaded.Experiment.Backend);
        Assert.Equal("/nonexistent/kubeconfig", loaded.Experiment.Knative?.Kubeconfig);
    }

    [Fact]
    public void MissingWorkloadsRootIsReported()
    {
        var root = Path.Combine(workloads.RepositoryRoot, "absent");

        var exception = ExperimentFixtures.LoadInvalid("valid.json", root);

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("workloads[0]", problem.Path);
        Assert.Contains(
            $"the workloads folder {root} does not exist",
            problem.Message,
            StringComparison.Ordinal
        );
    }
}
