using Harness.Images;

namespace Harness.Experiments;

/// <summary>An experiment file after loading, overrides and validation.</summary>
public sealed record Experiment
{
    /// <summary>Name used for the results folder: <c>results/&lt;name&gt;/&lt;UTC time&gt;/</c>.
    /// Defaults to the experiment file's name without extension.</summary>
    public required string Name { get; init; }

    /// <summary>Free text saying what the experiment measures and why it is set up this way.
    /// </summary>
    public string? Description { get; init; }

    /// <summary>Workload folder names under <c>src/Workloads</c>.</summary>
    public required IReadOnlyList<string> Workloads { get; init; }

    public required IReadOnlyList<ImageVariant> Variants { get; init; }

    /// <summary>Measured samples per workload and variant, warm-ups not included.</summary>
    public int Repetitions { get; init; } = 10;

    /// <summary>Extra samples per workload and variant run first and marked as warm-ups.</summary>
    public int Warmup { get; init; } = 1;

    public OrderSettings Order { get; init; } = new();
    public TimeoutSettings Timeouts { get; init; } = new();

    /// <summary><c>local</c> (this machine) or <c>knative</c> (a cluster).</summary>
    public string Backend { get; init; } = "local";

    /// <summary>The emulated link between node and registry; null leaves loopback
    /// unshaped.</summary>
    public NetworkLink? Network { get; init; }

    public KnativeSettings? Knative { get; init; }
}
