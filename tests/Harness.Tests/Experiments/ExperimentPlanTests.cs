using Harness.Experiments;
using Harness.Images;
using Xunit;

namespace Harness.Tests.Experiments;

public sealed class ExperimentPlanTests
{
    private static Experiment CreateExperiment(
        int repetitions = 10,
        int warmup = 1,
        bool shuffle = true,
        int? seed = 42
    ) =>
        new()
        {
            Name = "test",
            Workloads = ["hello", "other"],
            Variants = [ImageVariant.Overlayfs, ImageVariant.EStargzNoopt, ImageVariant.EStargz],
            Repetitions = repetitions,
            Warmup = warmup,
            Order = new OrderSettings { Shuffle = shuffle, Seed = seed },
        };

    private static Experiment CreateSmallExperiment(int seed, bool shuffle = true) =>
        new()
        {
            Name = "small",
            Workloads = ["w"],
            Variants = [ImageVariant.Overlayfs, ImageVariant.EStargz],
            Repetitions = 2,
            Warmup = 1,
            Order = new OrderSettings { Shuffle = shuffle, Seed = seed },
        };

    [Fact]
    public void PlanHasEverySampleOnce()
    {
        var plan = ExperimentPlan.Create(CreateExperiment());

        // 2 workloads x 3 variants x (1 warm-up + 10 measured).
        Assert.Equal(66, plan.Samples.Count);
        Assert.Equal(6, plan.WarmupCount);
        Assert.Equal(60, plan.MeasuredCount);
        Assert.Equal(66, plan.Samples.Select(sample => sample.Key).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 66), plan.Samples.Select(sample => sample.Sequence));
    }

    [Fact]
    public void PlanGivesEachPairItsRepetitions()
    {
        var plan = ExperimentPlan.Create(CreateExperiment(repetitions: 4, warmup: 2));

        var pairs = plan.Samples.GroupBy(sample => (sample.Workload, sample.Variant)).ToList();
        Assert.Equal(6, pairs.Count);
        foreach (var pair in pairs)
        {
            Assert.Equal(
                [0, 1],
                pair.Where(sample => sample.Warmup).Select(sample => sample.Repetition)
            );
            Assert.Equal(
                [0, 1, 2, 3],
                pair.Where(sample => !sample.Warmup).Select(sample => sample.Repetition)
            );
        }
    }

    [Fact]
    public void ShuffledPlanRunsWarmupsFirst()
    {
        var plan = ExperimentPlan.Create(CreateExperiment());

        Assert.All(plan.Samples.Take(6), sample => Assert.True(sample.Warmup));
        Assert.All(plan.Samples.Skip(6), sample => Assert.False(sample.Warmup));
    }

    [Fact]
    public void ShuffledPlanInterleavesPairs()
    {
        var plan = ExperimentPlan.Create(CreateExperiment());

        // Grouped order would have 6 runs of one pair; any real shuffle of 60 has many more.
        var measured = plan.Samples.Where(sample => !sample.Warmup).ToList();
        var changes = measured
            .Zip(measured.Skip(1))
            .Count(pair =>
                (pair.First.Workload, pair.First.Variant)
                != (pair.Second.Workload, pair.Second.Variant)
            );
        Assert.True(changes > 20, $"only {changes} changes of pair in 60 measured samples");
    }

    [Fact]
    public void SameSeedGivesSameOrder()
    {
        var first = ExperimentPlan.Create(CreateExperiment(seed: 123));
        var second = ExperimentPlan.Create(CreateExperiment(seed: 123));

        Assert.Equal(first.Samples, second.Samples);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentOrders()
    {
        var first = ExperimentPlan.Create(CreateExperiment(seed: 1));
        var second = ExperimentPlan.Create(CreateExperiment(seed: 2));

        Assert.NotEqual(
            first.Samples.Select(sample => sample.Key),
            second.Samples.Select(sample => sample.Key)
        );
    }

    // Worked by hand. Pairs: P0 = (w, overlayfs), P1 = (w, estargz). new Random(1) draws
    // Next(2) = 0 for the warm-up block, then Next(4) = 0, Next(3) = 1, Next(2) = 1 for the
    // measured block (draws listed by running the generator on its own).
    // Warm-ups [P0, P1]: i = 1, j = 0, swap -> [P1, P0].
    // Measured [P0, P0, P1, P1]: i = 3, j = 0 -> [P1, P0, P1, P0]; i = 2, j = 1 ->
    // [P1, P1, P0, P0]; i = 1, j = 1 -> unchanged.
    [Fact]
    public void SeedOneGivesHandWorkedOrder()
    {
        var plan = ExperimentPlan.Create(CreateSmallExperiment(seed: 1));

        SampleKey[] expected =
        [
            new("w", ImageVariant.EStargz, 0, Warmup: true),
            new("w", ImageVariant.Overlayfs, 0, Warmup: true),
            new("w", ImageVariant.EStargz, 0, Warmup: false),
            new("w", ImageVariant.EStargz, 1, Warmup: false),
            new("w", ImageVariant.Overlayfs, 0, Warmup: false),
            new("w", ImageVariant.Overlayfs, 1, Warmup: false),
        ];
        Assert.Equal(expected, plan.Samples.Select(sample => sample.Key));
    }

    // Worked by hand as above. new Random(42) draws Next(2) = 1, then Next(4) = 0,
    // Next(3) = 0, Next(2) = 1.
    // Warm-ups [P0, P1]: i = 1, j = 1 -> unchanged.
    // Measured [P0, P0, P1, P1]: i = 3, j = 0 -> [P1, P0, P1, P0]; i = 2, j = 0 -> swaps two
    // P1 slots, unchanged; i = 1, j = 1 -> unchanged.
    [Fact]
    public void SeedFortyTwoGivesHandWorkedOrder()
    {
        var plan = ExperimentPlan.Create(CreateSmallExperiment(seed: 42));

        SampleKey[] expected =
        [
            new("w", ImageVariant.Overlayfs, 0, Warmup: true),
            new("w", ImageVariant.EStargz, 0, Warmup: true),
            new("w", ImageVariant.EStargz, 0, Warmup: false),
            new("w", ImageVariant.Overlayfs, 0, Warmup: false),
            new("w", ImageVariant.EStargz, 1, Warmup: false),
            new("w", ImageVariant.Overlayfs, 1, Warmup: false),
        ];
        Assert.Equal(expected, plan.Samples.Select(sample => sample.Key));
        Assert.Equal([0, 1, 2, 3, 4, 5], plan.Samples.Select(sample => sample.Sequence));
    }

    [Fact]
    public void GroupedPlanRunsPairByPair()
    {
        var plan = ExperimentPlan.Create(CreateSmallExperiment(seed: 1, shuffle: false));

        SampleKey[] expected =
        [
            new("w", ImageVariant.Overlayfs, 0, Warmup: true),
            new("w", ImageVariant.Overlayfs, 0, Warmup: false),
            new("w", ImageVariant.Overlayfs, 1, Warmup: false),
            new("w", ImageVariant.EStargz, 0, Warmup: true),
            new("w", ImageVariant.EStargz, 0, Warmup: false),
            new("w", ImageVariant.EStargz, 1, Warmup: false),
        ];
        Assert.Equal(expected, plan.Samples.Select(sample => sample.Key));
    }

    [Fact]
    public void MissingSeedIsDrawnAndRecorded()
    {
        var plan = ExperimentPlan.Create(CreateExperiment(seed: null));

        Assert.NotNull(plan.Seed);
        Assert.Equal(plan.Seed, plan.Experiment.Order.Seed);
        var replay = ExperimentPlan.Create(CreateExperiment(seed: plan.Seed));
        Assert.Equal(plan.Samples, replay.Samples);
    }

    [Fact]
    public void GroupedPlanDrawsNoSeed()
    {
        var plan = ExperimentPlan.Create(CreateExperiment(shuffle: false, seed: null));

        Assert.Null(plan.Seed);
    }

    [Fact]
    public void ZeroWarmupPlansNoWarmups()
    {
        var plan = ExperimentPlan.Create(CreateExperiment(repetitions: 3, warmup: 0));

        Assert.Equal(0, plan.WarmupCount);
        Assert.Equal(18, plan.Samples.Count);
    }

    [Fact]
    public void RemainingSkipsCompletedSamplesInOrder()
    {
        var plan = ExperimentPlan.Create(CreateExperiment());
        var completed = plan.Samples.Take(10).Concat(plan.Samples.Skip(20).Take(5)).ToList();

        var remaining = plan.Remaining(completed.Select(sample => sample.Key));

        var expected = plan.Samples.Skip(10).Take(10).Concat(plan.Samples.Skip(25)).ToList();
        Assert.Equal(expected, remaining);
        Assert.Equal(51, remaining.Count);
        Assert.Equal(10, remaining[0].Sequence);
        Assert.Equal(25, remaining[10].Sequence);
    }

    [Fact]
    public void RemainingOfFreshRunIsWholePlan()
    {
        var plan = ExperimentPlan.Create(CreateExperiment());

        Assert.Equal(plan.Samples, plan.Remaining([]));
    }

    [Fact]
    public void RemainingOfFinishedRunIsEmpty()
    {
        var plan = ExperimentPlan.Create(CreateExperiment());

        Assert.Empty(plan.Remaining(plan.Samples.Select(sample => sample.Key)));
    }

    [Fact]
    public void ResumedPlanWithSameSeedContinuesOrder()
    {
        var first = ExperimentPlan.Create(CreateExperiment(seed: 99));
        var done = first.Samples.Take(30).Select(sample => sample.Key).ToList();

        var resumed = ExperimentPlan.Create(CreateExperiment(seed: 99)).Remaining(done);

        Assert.Equal(first.Samples.Skip(30), resumed);
    }

    [Fact]
    public void PlanRejectsDuplicateVariant()
    {
        var experiment = CreateExperiment() with
        {
            Variants = [ImageVariant.EStargz, ImageVariant.EStargz],
        };

        Assert.Throws<ArgumentException>(() => ExperimentPlan.Create(experiment));
    }

    [Fact]
    public void PlanRejectsNegativeRepetitions()
    {
        var experiment = CreateExperiment(repetitions: -1);

        Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentPlan.Create(experiment));
    }

    [Fact]
    public void RemainingRejectsSampleFromAnotherPlan()
    {
        var plan = ExperimentPlan.Create(CreateExperiment(repetitions: 2));
        SampleKey[] completed = [new("hello", ImageVariant.EStargz, 7, Warmup: false)];

        var exception = Assert.Throws<HarnessException>(() => plan.Remaining(completed));

        Assert.Contains(
            "hello (estargz) repetition 7",
            exception.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(2, exception.ExitCode);
    }
}
