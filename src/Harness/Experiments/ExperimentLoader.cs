using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

/// <summary>
/// Loads an experiment file, applies overrides and validates the result. Settings come from
/// three layers, each overriding the one before: the JSON file, environment variables named
/// <c>HARNESS_KEY</c> (nested keys joined with <c>__</c>, such as <c>HARNESS_ORDER__SEED</c>),
/// and <c>--set key=value</c> arguments (nested keys joined with <c>.</c> or <c>:</c>). A list
/// given as one override value is split at commas: <c>--set variants=overlayfs,estargz</c>.
/// </summary>
public static class ExperimentLoader
{
    /// <summary>Prefix of the environment variables that override experiment settings.</summary>
    public const string EnvironmentPrefix = "HARNESS_";

    // HARNESS_ variables that configure the harness itself rather than an experiment.
    private static readonly string[] HarnessVariables =
    [
        "ROOT",
        "STATE_DIR",
        "RUN_DIR",
        "CACHE_DIR",
    ];

    /// <summary>
    /// Loads and validates an experiment. Throws <see cref="ExperimentValidationException"/>
    /// listing every problem when the file or an override is invalid, and
    /// <see cref="HarnessException"/> when the file cannot be read.
    /// </summary>
    /// <param name="filePath">Path of the experiment JSON file.</param>
    /// <param name="setArguments">Values of the <c>--set</c> options, each <c>key=value</c>.
    /// </param>
    /// <param name="workloadsRoot">Folder of the workload folders; null uses
    /// <see cref="HarnessPaths.WorkloadsRoot"/>.</param>
    public static LoadedExperiment Load(
        string filePath,
        IReadOnlyList<string>? setArguments = null,
        string? workloadsRoot = null
    )
    {
        ArgumentNullException.ThrowIfNull(filePath);
        var content = ReadFile(filePath);
        var problems = new List<ExperimentProblem>();
        var setLayer = ParseSetArguments(setArguments ?? [], problems);

        // Nothing below can be checked in a file that is not a well-formed JSON object.
        if (!ExperimentFileSyntax.Check(content, problems))
        {
            throw new ExperimentValidationException(filePath, problems);
        }

        var layers = new SettingLayers();
        layers.Apply(ReadFileLayer(content));
        layers.Apply(ReadEnvironmentLayer());
        layers.Apply(setLayer);

        var reader = new ExperimentReader(layers.Build(), layers.FindOrigin, problems);
        var experiment = reader.Read(Path.GetFileNameWithoutExtension(filePath), () =>
            workloadsRoot ?? HarnessPaths.WorkloadsRoot
        );
        if (experiment is null || problems.Count > 0)
        {
            throw new ExperimentValidationException(filePath, problems);
        }

        return new LoadedExperiment
        {
            Experiment = experiment,
            Settings = ExperimentJson.ToJsonObject(experiment),
            FilePath = Path.GetFullPath(filePath),
            FileSha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            Overrides = layers.Overrides,
        };
    }

    private static byte[] ReadFile(string filePath)
    {
        try
        {
            return File.ReadAllBytes(filePath);
        }
        catch (Exception exception)
            when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HarnessException(
                $"Experiment file {filePath} not found. Give the path of an experiment JSON "
                    + "file, such as experiments/nodejs.json.",
                exception
            );
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException(
                $"Cannot read experiment file {filePath}: {exception.Message}",
                exception
            );
        }
    }

    private static List<SettingEntry> ReadFileLayer(byte[] content)
    {
        var file = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(content, writable: false))
            .Build();
        return file.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => new SettingEntry(pair.Key, pair.Value!, Origin: null))
            .ToList();
    }

    // Keeps the variables whose first segment is an experiment key, or close enough to one to
    // be a misspelling worth reporting. Others with the prefix belong to other settings.
    private static List<SettingEntry> ReadEnvironmentLayer()
    {
        var environment = new ConfigurationBuilder()
            .AddEnvironmentVariables(EnvironmentPrefix)
            .Build();
        var keys = ExperimentSchema.Root.Children.Select(child => child.Name).ToList();
        var entries = new List<SettingEntry>();
        foreach (var (key, value) in environment.AsEnumerable())
        {
            var first = key.Split(ConfigurationPath.KeyDelimiter)[0];
            var isExperimentKey =
                ExperimentSchema.Root.FindChild(first) is not null
                || (
                    !HarnessVariables.Contains(first, StringComparer.OrdinalIgnoreCase)
                    && SpellingHint.FindClosest(first, keys) is not null
                );
            if (value is null || !isExperimentKey)
            {
                continue;
            }

            var variable = EnvironmentPrefix + key.Replace(ConfigurationPath.KeyDelimiter, "__");
            entries.Add(new SettingEntry(key, value, $"{variable}={value}"));
        }

        return entries;
    }

    private static List<SettingEntry> ParseSetArguments(
        IReadOnlyList<string> arguments,
        List<ExperimentProblem> problems
    )
    {
        var entries = new List<SettingEntry>();
        foreach (var argument in arguments)
        {
            var origin = $"--set {argument}";
            var equals = argument.IndexOf('=');
            var key = equals < 0 ? "" : argument[..equals].Trim();
            var segments = key.Split('.', ':');
            if (equals < 0 || segments.Any(segment => segment.Trim().Length == 0))
            {
                problems.Add(
                    new ExperimentProblem(
                        "--set",
                        $"found `{argument}`, expected key=value such as `repetitions=3` or "
                            + "`order.seed=42`"
                    )
                );
                continue;
            }

            var configurationKey = string.Join(
                ConfigurationPath.KeyDelimiter,
                segments.Select(segment => segment.Trim())
            );
            entries.Add(new SettingEntry(configurationKey, argument[(equals + 1)..], origin));
        }

        return entries;
    }
}
