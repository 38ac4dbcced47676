using System.Text.Json;
using Harness.Backends;
using Harness.Experiments;
using Harness.Images;
using Harness.Measurement;
using Harness.Node;
using Harness.Reporting;
using Harness.Workloads;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Harness.Runs;

/// <summary>
/// Runs an experiment end to end. It sets up the backend (the local node with its registry
/// link, or a Knative cluster), builds and pushes the images, then measures each planned
/// sample and appends it to <c>samples.csv</c> as it ends. Last come the summary, figures and
/// manifest. Ctrl-C records the sample in flight as interrupted, leaves the backend clean and
/// keeps every row already written.
/// </summary>
public sealed partial class ExperimentRunner
{
    /// <summary>Name of the resolved experiment written into each results folder, from which
    /// <c>--resume</c> reloads the run's exact settings and seed.</summary>
    public const string ResolvedExperimentFile = "experiment.json";

    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;

    public ExperimentRunner(ILoggerFactory loggers)
    {
        this.loggers = loggers;
        logger = loggers.CreateLogger("run");
    }

    /// <summary>Runs or resumes an experiment and returns the results folder and whether
    /// every planned sample was measured.</summary>
    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var resumeFolder = request.ResumeFolder is null
            ? null
            : ResultsFolder.Open(request.ResumeFolder);
        var loaded = resumeFolder is null
            ? ExperimentLoader.Load(request.ExperimentFile!, request.Overrides)
            : ExperimentLoader.Load(Path.Combine(resumeFolder.Path, ResolvedExperimentFile));
        var plan = ExperimentPlan.Create(loaded.Experiment);
        var experiment = plan.Experiment;
        var startedAt = DateTimeOffset.UtcNow;
        IReadOnlyList<ColdStartSample> existing = [];
        if (resumeFolder is not null)
        {
            // A resumed run keeps the start time it began with, and one with nothing left to
            // measure ends here without touching the node or its files.
            var earlier = await RunManifestFile.ReadAsync(
                resumeFolder.ManifestPath,
                cancellationToken
            );
            startedAt = earlier.StartedAt;
            existing = SampleCsvReader.Read(resumeFolder.SamplesPath);
            if (plan.Remaining(CompletedKeys(existing)).Count == 0)
            {
                logger.LogInformation(
                    "Every planned sample of {Folder} is already recorded; nothing to resume",
                    resumeFolder.Path
                );
                return new RunOutcome(resumeFolder.Path, Complete: true, existing);
            }
        }

        var workloads = experiment.Workloads.ToDictionary(
            name => name,
            name => WorkloadCatalog.Default.Get(name).Manifest
        );
        await using var setup =
            experiment.Backend == ExperimentSchema.KnativeBackend
                ? await SetUpKnativeAsync(experiment, cancellationToken)
                : await SetUpLocalAsync(experiment, cancellationToken);

        var folder = resumeFolder
            ?? await CreateResultsFolderAsync(request, loaded, plan, startedAt);
        var remaining = plan.Remaining(CompletedKeys(existing));

        var manifest = await RunManifestFactory.CreateAsync(
            loaded.FilePath,
            ExperimentJson.ToJsonObject(experiment),
            experiment.Order.Seed ?? 0,
            await DebianPackages.GetVersionsAsync(DebianPackages.NodePackages, cancellationToken),
            setup.Link,
            startedAt,
            cancellationToken
        );
        await RunManifestFile.WriteAsync(folder.ManifestPath, manifest, cancellationToken);

        logger.LogInformation(
            "Running {Count} samples ({Done} already done) into {Folder}",
            remaining.Count,
            plan.Samples.Count - remaining.Count,
            folder.Path
        );
        bool interrupted;
        try
        {
            interrupted = await MeasureAsync(
                setup,
                workloads,
                folder,
                plan,
                remaining,
                existing.Count > 0,
                cancellationToken
            );
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C outside a sample's own handling; the rows written so far stand.
            interrupted = true;
        }

        var samples = SampleCsvReader.Read(folder.SamplesPath);
        await RunReport.FinishAsync(
            folder,
            samples,
            [FigureFormat.Png, FigureFormat.Svg],
            AnsiConsole.Console,
            logger,
            CancellationToken.None
        );
        await RunManifestFile.WriteAsync(
            folder.ManifestPath,
            manifest with
            {
                EndedAt = DateTimeOffset.UtcNow,
                Status = interrupted ? RunStatus.Interrupted : RunStatus.Complete,
            },
            CancellationToken.None
        );
        logger.LogInformation("Results in {Folder}", folder.Path);
        if (interrupted)
        {
            logger.LogWarning(
                "The run was interrupted; finish it with './harness run --resume {Folder}'",
                folder.Path
            );
        }

        return new RunOutcome(folder.Path, !interrupted, samples);
    }

    private async Task<bool> MeasureAsync(
        BackendSetup setup,
        IReadOnlyDictionary<string, WorkloadManifest> workloads,
        ResultsFolder folder,
        ExperimentPlan plan,
        IReadOnlyList<PlannedSample> remaining,
        bool append,
        CancellationToken cancellationToken
    )
    {
        var backend = setup.Backend;
        using var writer = append
            ? SampleCsvWriter.OpenForAppend(folder.SamplesPath)
            : SampleCsvWriter.Create(folder.SamplesPath);
        var progress = new RunProgress(plan.Samples.Count, plan.Samples.Count - remaining.Count);
        var interrupted = false;
        try
        {
            foreach (var planned in remaining)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                var image = setup.Images[(planned.Workload, planned.Variant)];
                var sample = await backend.MeasureAsync(
                    new ColdStartRequest
                    {
                        Workload = workloads[planned.Workload],
                        Variant = planned.Variant,
                        ImageReference = setup.ReferenceOf(image),
                        ImageBytes = image.CompressedBytes,
                        Repetition = planned.Repetition,
                        Warmup = planned.Warmup,
                        Sequence = planned.Sequence,
                    },
                    cancellationToken
                );
                writer.Append(sample);
                logger.LogInformation("{Progress}", progress.Describe(planned, sample));
                if (sample.Status == SampleStatus.Interrupted)
                {
                    interrupted = true;
                    break;
                }
            }
        }
        finally
        {
            logger.LogInformation("Cleaning up the {Backend} backend", backend.Name);
            await backend.CleanUpAsync(CancellationToken.None);
        }

        return interrupted;
    }

    /// <summary>Creates a new run's results folder and stores the resolved experiment in it.
    /// </summary>
    private async Task<ResultsFolder> CreateResultsFolderAsync(
        RunRequest request,
        LoadedExperiment loaded,
        ExperimentPlan plan,
        DateTimeOffset startedAt
    )
    {
        var root = request.ResultsRoot ?? Path.Combine(HarnessPaths.RepositoryRoot, "results");
        var folder = ResultsFolder.Create(root, plan.Experiment.Name, startedAt);
        var resolved = ExperimentJson.ToJsonObject(plan.Experiment);
        await File.WriteAllTextAsync(
            Path.Combine(folder.Path, ResolvedExperimentFile),
            resolved.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
        );
        logger.LogDebug(
            "Experiment {File} resolved with overrides {Overrides}",
            loaded.FilePath,
            string.Join(' ', loaded.Overrides)
        );
        return folder;
    }

    /// <summary>Keys of the recorded samples that count as done: all but interrupted ones,
    /// which a resume measures again.</summary>
    private static IEnumerable<SampleKey> CompletedKeys(IEnumerable<ColdStartSample> samples) =>
        samples
            .Where(sample => sample.Status != SampleStatus.Interrupted)
            .Select(sample => new SampleKey(
                sample.Workload,
                ParseVariant(sample.Variant),
                sample.Repetition,
                sample.Warmup
            ));

    private static ImageVariant ParseVariant(string name) =>
        ImageVariantNames.TryParse(name, out var variant)
            ? variant
            : throw new HarnessException(
                $"samples.csv names an unknown variant '{name}'; expected one of "
                    + $"{string.Join(", ", ImageVariantNames.All)}."
            );
}
