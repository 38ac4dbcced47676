using Harness.Images;

namespace Harness.Experiments;

/// <summary>
/// The ordered list of samples of an experiment: every workload and variant pair gets
/// <see cref="Experiment.Warmup"/> warm-ups and <see cref="Experiment.Repetitions"/> measured
/// samples.
/// </summary>
/// <remarks>
/// <para>Shuffled order (the default): all warm-ups come first, then all measured samples, and
/// each of the two blocks is shuffled on its own. Interleaving pairs spreads slow drifts of the
/// machine (thermal state, background work, registry caches) over every variant instead of
/// biasing whichever variant happened to run last. Running every warm-up before the first
/// measured sample means no measured sample is the first run of any pair.</para>
/// <para>The shuffle is a Fisher-Yates shuffle driven by <c>new Random(seed)</c>: for i from
/// n-1 down to 1, swap item i with item <c>random.Next(i + 1)</c>. The warm-up block is
/// shuffled first and the measured block continues with the same generator. Only the pair is
/// shuffled; repetition numbers are then given in the order the pair's slots appear, so each
/// pair's repetitions run in increasing order.</para>
/// <para>With a seed, <see cref="Random"/> keeps the algorithm of earlier .NET releases (the
/// runtime's <c>Net5CompatSeedImpl</c>), so a seed gives the same order on every machine and
/// run with the same .NET version. NOTE: Microsoft's API documentation does not promise the
/// same sequence across major .NET versions. The hand-worked plan tests fail if it changes.
/// </para>
/// <para>Grouped order (<c>order.shuffle</c> false): workload by workload in the listed order,
/// and within a workload variant by variant, each pair's warm-ups then its measured samples.
/// </para>
/// </remarks>
public sealed class ExperimentPlan
{
    private ExperimentPlan(Experiment experiment, IReadOnlyList<PlannedSample> samples)
    {
        Experiment = experiment;
        Samples = samples;
    }

    /// <summary>The experiment, with <c>order.seed</c> filled in when the plan drew the seed.
    /// </summary>
    public Experiment Experiment { get; }

    /// <summary>Seed of the shuffle; null only when the plan is not shuffled and no seed was
    /// given.</summary>
    public int? Seed => Experiment.Order.Seed;

    /// <summary>Every sample in the order it runs; sequence numbers are 0, 1, 2 and so on.
    /// </summary>
    public IReadOnlyList<PlannedSample> Samples { get; }

    /// <summary>Number of warm-up samples in the plan.</summary>
    public int WarmupCount => Samples.Count(sample => sample.Warmup);

    /// <summary>Number of measured samples in the plan.</summary>
    public int MeasuredCount => Samples.Count - WarmupCount;

    /// <summary>
    /// Expands an experiment into its plan. When the order is shuffled and no seed is set, a
    /// seed is drawn and recorded in <see cref="Experiment"/> so the run can be repeated.
    /// </summary>
    public static ExperimentPlan Create(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentOutOfRangeException.ThrowIfNegative(experiment.Warmup);
        ArgumentOutOfRangeException.ThrowIfNegative(experiment.Repetitions);
        var pairs = ListPairs(experiment);
        if (pairs.Distinct().Count() != pairs.Count)
        {
            // Samples of a repeated pair would share keys, and resuming could not tell them apart.
            throw new ArgumentException(
                "The experiment lists a workload or variant twice; load it through "
                    + "ExperimentLoader, which rejects duplicates.",
                nameof(experiment)
            );
        }

        if (!experiment.Order.Shuffle)
        {
            return new ExperimentPlan(experiment, OrderGrouped(experiment, pairs));
        }

        // Random.Shared.Next() returns 0 to int.MaxValue - 1, inside the range a file accepts.
        var seed = experiment.Order.Seed ?? Random.Shared.Next();
        var seeded = experiment with { Order = experiment.Order with { Seed = seed } };
        return new ExperimentPlan(seeded, OrderShuffled(seeded, pairs, seed));
    }

    /// <summary>
    /// Returns the samples not yet in <paramref name="completed"/>, in plan order and with their
    /// original sequence numbers. Throws when a completed sample is not part of this plan,
    /// because the results then belong to a different experiment or seed.
    /// </summary>
    public IReadOnlyList<PlannedSample> Remaining(IEnumerable<SampleKey> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var done = completed.ToHashSet();
        var planned = Samples.Select(sample => sample.Key).ToHashSet();
        var foreign = done.Where(key => !planned.Contains(key)).ToList();
        if (foreign.Count > 0)
        {
            var examples = string.Join("; ", foreign.Take(3));
            throw new HarnessException(
                $"Cannot resume: {foreign.Count} recorded sample(s) are not in the plan of "
                    + $"experiment '{Experiment.Name}' (for example {examples}). The experiment "
                    + "file or its overrides changed since the run began; resume with the same "
                    + "settings, or start a new run."
            );
        }

        return Samples.Where(sample => !done.Contains(sample.Key)).ToList();
    }

    private static List<(string Workload, ImageVariant Variant)> ListPairs(Experiment experiment) =>
        experiment
            .Workloads.SelectMany(workload =>
                experiment.Variants.Select(variant => (workload, variant))
            )
            .ToList();

    private static List<PlannedSample> OrderGrouped(
        Experiment experiment,
        List<(string Workload, ImageVariant Variant)> pairs
    )
    {
        var samples = new List<PlannedSample>();
        foreach (var (workload, variant) in pairs)
        {
            for (var index = 0; index < experiment.Warmup; index++)
            {
                samples.Add(NewSample(workload, variant, index, warmup: true, samples.Count));
            }

            for (var index = 0; index < experiment.Repetitions; index++)
            {
                samples.Add(NewSample(workload, variant, index, warmup: false, samples.Count));
            }
        }

        return samples;
    }

    private static List<PlannedSample> OrderShuffled(
        Experiment experiment,
        List<(string Workload, ImageVariant Variant)> pairs,
        int seed
    )
    {
        var random = new Random(seed);
        var samples = new List<PlannedSample>();
        AppendShuffledBlock(samples, pairs, experiment.Warmup, warmup: true, random);
        AppendShuffledBlock(samples, pairs, experiment.Repetitions, warmup: false, random);
        return samples;
    }

    private static void AppendShuffledBlock(
        List<PlannedSample> samples,
        List<(string Workload, ImageVariant Variant)> pairs,
        int perPair,
        bool warmup,
        Random random
    )
    {
        // One slot per sample, holding only the index of its pair, in canonical order.
        var slots = new int[pairs.Count * perPair];
        for (var position = 0; position < slots.Length; position++)
        {
            slots[position] = position / perPair;
        }

        for (var i = slots.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (slots[i], slots[j]) = (slots[j], slots[i]);
        }

        var nextRepetition = new int[pairs.Count];
        foreach (var pairIndex in slots)
        {
            var (workload, variant) = pairs[pairIndex];
            var repetition = nextRepetition[pairIndex]++;
            samples.Add(NewSample(workload, variant, repetition, warmup, samples.Count));
        }
    }

    private static PlannedSample NewSample(
        string workload,
        ImageVariant variant,
        int repetition,
        bool warmup,
        int sequence
    ) =>
        new()
        {
            Workload = workload,
            Variant = variant,
            Repetition = repetition,
            Warmup = warmup,
            Sequence = sequence,
        };
}
