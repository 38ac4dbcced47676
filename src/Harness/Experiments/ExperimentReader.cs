using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

/// <summary>
/// Reads merged experiment settings into an <see cref="Experiment"/>, collecting every problem
/// instead of stopping at the first so the user sees them all at once.
/// </summary>
internal sealed partial class ExperimentReader
{
    private readonly IConfiguration settings;
    private readonly Func<string, string?> findOrigin;
    private readonly List<ExperimentProblem> problems;

    // Keys whose value has the wrong shape, such as an object where a number belongs. Their
    // problem is already reported, so the value readers skip them.
    private readonly HashSet<string> misshapenKeys = new(StringComparer.OrdinalIgnoreCase);

    public ExperimentReader(
        IConfiguration settings,
        Func<string, string?> findOrigin,
        List<ExperimentProblem> problems
    )
    {
        this.settings = settings;
        this.findOrigin = findOrigin;
        this.problems = problems;
    }

    /// <summary>
    /// Reads and checks every setting. Returns null when any problem was added to the list.
    /// </summary>
    /// <param name="defaultName">Name to use when the file has none: its file name.</param>
    /// <param name="findWorkloadsRoot">Returns the folder holding the workload folders.</param>
    public Experiment? Read(string defaultName, Func<string> findWorkloadsRoot)
    {
        var problemsBefore = problems.Count;
        CheckShape(settings, ExperimentSchema.Root, keyPrefix: "");

        var defaults = new Experiment
        {
            Name = defaultName,
            Workloads = [],
            Variants = [],
        };
        var name = ReadName(defaultName);
        var description = ReadValue("description");
        var workloads = ReadWorkloads(findWorkloadsRoot);
        var variants = ReadVariants();
        var repetitions = ReadInteger("repetitions", 1, ExperimentSchema.MaxRepetitions);
        var warmup = ReadInteger("warmup", 0, ExperimentSchema.MaxWarmup);
        var order = ReadOrder();
        var timeouts = ReadTimeouts();
        var backend = ReadBackend(defaults.Backend);
        var network = ReadNetwork();
        var knative = ReadKnative(checkPaths: backend == ExperimentSchema.KnativeBackend);

        if (
            backend == ExperimentSchema.KnativeBackend
            && knative is null
            && !misshapenKeys.Contains("knative")
        )
        {
            Report(
                "knative",
                "missing (an empty section counts as missing). The knative backend needs a "
                    + "`knative` section, for example {\"namespace\": \"default\", "
                    + "\"ingress\": \"127.0.0.1:31080\"}"
            );
        }

        if (problems.Count > problemsBefore || workloads is null || variants is null)
        {
            return null;
        }

        return new Experiment
        {
            Name = name,
            Description = string.IsNullOrWhiteSpace(description) ? null : description,
            Workloads = workloads,
            Variants = variants,
            Repetitions = repetitions ?? defaults.Repetitions,
            Warmup = warmup ?? defaults.Warmup,
            Order = order,
            Timeouts = timeouts,
            Backend = backend,
            Network = network,
            Knative = knative,
        };
    }

    private OrderSettings ReadOrder()
    {
        var defaults = new OrderSettings();
        return new OrderSettings
        {
            Shuffle = ReadBoolean("order:shuffle") ?? defaults.Shuffle,
            Seed = ReadSeed("order:seed"),
        };
    }

    private TimeoutSettings ReadTimeouts()
    {
        var defaults = new TimeoutSettings();
        return new TimeoutSettings
        {
            PullSeconds = ReadTimeout("timeouts:pullSeconds") ?? defaults.PullSeconds,
            ReadySeconds = ReadTimeout("timeouts:readySeconds") ?? defaults.ReadySeconds,
            RequestSeconds = ReadTimeout("timeouts:requestSeconds") ?? defaults.RequestSeconds,
        };
    }

    private double? ReadTimeout(string key) =>
        ReadNumber(key, value => value > 0 && value <= ExperimentSchema.MaxTimeoutSeconds);

    private string ReadBackend(string defaultBackend)
    {
        var backend = ReadValue("backend");
        if (backend is null)
        {
            return defaultBackend;
        }

        if (!ExperimentSchema.Backends.Contains(backend, StringComparer.Ordinal))
        {
            var hint = SpellingHint.Format(backend, ExperimentSchema.Backends);
            Report(
                "backend",
                $"unknown backend {Quote(backend)}, expected {Expected("backend")}{hint}"
            );
        }

        return backend;
    }

    private NetworkLink? ReadNetwork()
    {
        // "--set network=null" (or an empty value) switches off a link the file sets, because
        // a later layer cannot remove the file's keys, only add a value above them.
        if (IsSwitchedOff("network") || !HasValues("network"))
        {
            return null;
        }

        var bandwidth = ReadNumber(
            "network:bandwidthMbit",
            value => value > 0 && value <= ExperimentSchema.MaxBandwidthMbit,
            required: true
        );
        var rtt = ReadNumber(
            "network:rttMs",
            value => value >= 0 && value <= ExperimentSchema.MaxRttMs,
            required: true
        );
        var loss = ReadNumber("network:lossPercent", value => value >= 0 && value < 100);

        if (bandwidth is null || rtt is null)
        {
            return null;
        }

        return new NetworkLink
        {
            BandwidthMbit = bandwidth.Value,
            RttMs = rtt.Value,
            LossPercent = loss ?? 0,
        };
    }

    // True when the section itself is set to null or to an empty value.
    private bool IsSwitchedOff(string key) =>
        settings[key] is { } value && (value.Length == 0 || value == "null");

    // True when the section has at least one value below it in the merged settings.
    private bool HasValues(string key) =>
        !misshapenKeys.Contains(key) && settings.GetSection(key).GetChildren().Any();
}
