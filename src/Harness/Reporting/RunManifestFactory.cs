using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Harness.Processes;

namespace Harness.Reporting;

/// <summary>
/// Creates the manifest at the start of a run, filling in what the harness finds itself
/// (version, git commit, experiment file hash, host) around what the caller provides.
/// </summary>
public static class RunManifestFactory
{
    /// <summary>Creates a manifest with status <see cref="RunStatus.Running"/>.</summary>
    public static async Task<RunManifest> CreateAsync(
        string experimentFile,
        JsonNode resolvedExperiment,
        long seed,
        IReadOnlyDictionary<string, string> components,
        LinkReport? link,
        DateTimeOffset startedAt,
        CancellationToken cancellationToken
    )
    {
        var (commit, dirty) = await ReadGitStateAsync(cancellationToken);
        return new RunManifest
        {
            HarnessVersion = HarnessVersion(),
            GitCommit = commit,
            GitDirty = dirty,
            ExperimentFile = experimentFile,
            ExperimentSha256 = await HashFileAsync(experimentFile, cancellationToken),
            Experiment = resolvedExperiment.DeepClone(),
            Seed = seed,
            Host = await HostProbe.DescribeAsync(cancellationToken),
            Components = new SortedDictionary<string, string>(
                components.ToDictionary(),
                StringComparer.Ordinal
            ),
            Link = link,
            StartedAt = startedAt.ToUniversalTime(),
            Status = RunStatus.Running,
        };
    }

    /// <summary>Returns the informational version of the harness assembly.</summary>
    public static string HarnessVersion()
    {
        var assembly = typeof(RunManifestFactory).Assembly;
        return assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }

    /// <summary>Returns the SHA-256 of a file as lower-case hexadecimal.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new HarnessException(
                $"Experiment file not found: {path}. Pass the path of an experiment file, "
                    + "such as experiments/nodejs.json."
            );
        }

        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    private static async Task<(string? Commit, bool? Dirty)> ReadGitStateAsync(
        CancellationToken cancellationToken
    )
    {
        string root;
        try
        {
            root = HarnessPaths.RepositoryRoot;
        }
        catch (HarnessException)
        {
            return (null, null);
        }

        try
        {
            var head = await ProcessRunner.TryRunAsync(
                "git",
                ["-C", root, "rev-parse", "HEAD"],
                cancellationToken
            );
            if (head.ExitCode != 0)
            {
                return (null, null);
            }

            var status = await ProcessRunner.TryRunAsync(
                "git",
                ["-C", root, "status", "--porcelain", "--untracked-files=no"],
                cancellationToken
            );
            bool? dirty = status.ExitCode == 0 ? status.StandardOutput.Trim().Length > 0 : null;
            return (head.StandardOutput.Trim(), dirty);
        }
        catch (HarnessException)
        {
            // git is not installed: the manifest records no commit rather than failing a run.
            return (null, null);
        }
    }
}
