using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Harness.Experiments;

namespace Harness.Reporting;

/// <summary>
/// Builds the part of the HTML report that shows <c>manifest.json</c>: how the numbers were
/// produced (harness version and commit, experiment, seed, host, components, link, times and
/// status).
/// </summary>
public static class HtmlManifestSection
{
    /// <summary>Returns the rows of the manifest table, or a note when there is no manifest.
    /// </summary>
    public static XElement Build(RunManifest? manifest, string? problem)
    {
        if (manifest is null)
        {
            return new XElement(
                "p",
                new XAttribute("class", "warning"),
                $"No manifest to show: {problem}"
            );
        }

        var commit = manifest.GitCommit is null
            ? "unknown (not run from a git checkout)"
            : manifest.GitCommit + (manifest.GitDirty == true ? " (uncommitted changes)" : "");
        return new XElement(
            "table",
            new XAttribute("class", "facts"),
            Row("status", manifest.Status),
            Row("harness version", manifest.HarnessVersion),
            Row("commit", commit),
            Row("experiment", ExperimentName(manifest) ?? "-"),
            Row("experiment file", manifest.ExperimentFile),
            Row("experiment SHA-256", manifest.ExperimentSha256),
            Row("seed", manifest.Seed.ToString(CultureInfo.InvariantCulture)),
            Row("started", CsvValueFormat.Timestamp(manifest.StartedAt)),
            Row(
                "ended",
                manifest.EndedAt is { } ended
                    ? $"{CsvValueFormat.Timestamp(ended)} ({Duration(ended - manifest.StartedAt)})"
                    : "not recorded: the run is in progress or its process died"
            ),
            Row("link as set", Link(manifest.Link?.Applied, "unshaped")),
            Row("link as measured", Link(manifest.Link?.Measured, "not measured")),
            Row("kernel", manifest.Host.Kernel),
            Row("operating system", manifest.Host.OperatingSystem ?? "-"),
            Row(
                "CPU",
                $"{manifest.Host.CpuModel ?? "unknown model"}, "
                    + $"{manifest.Host.CpuCount.ToString(CultureInfo.InvariantCulture)} logical"
            ),
            Row(
                "memory",
                manifest.Host.MemoryBytes is { } bytes
                    ? (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture)
                        + " GiB"
                    : "-"
            ),
            new XElement(
                "tr",
                new XElement("th", new XAttribute("scope", "row"), "components"),
                new XElement("td", Components(manifest.Components))
            ),
            new XElement(
                "tr",
                new XElement("th", new XAttribute("scope", "row"), "resolved experiment"),
                new XElement(
                    "td",
                    new XElement(
                        "details",
                        new XElement("summary", "show JSON"),
                        new XElement(
                            "pre",
                            manifest.Experiment.ToJsonString(
                                new JsonSerializerOptions { WriteIndented = true }
                            )
                        )
                    )
                )
            )
        );
    }

    /// <summary>Returns the experiment's <c>name</c> from the manifest, or null.</summary>
    public static string? ExperimentName(RunManifest? manifest) =>
        manifest?.Experiment is JsonObject experiment
        && experiment["name"] is JsonValue name
        && name.TryGetValue<string>(out var text)
            ? text
            : null;

    private static XElement Row(string name, string value) =>
        new(
            "tr",
            new XElement("th", new XAttribute("scope", "row"), name),
            new XElement("td", value)
        );

    private static object Components(IReadOnlyDictionary<string, string> components)
    {
        if (components.Count == 0)
        {
            return "none recorded";
        }

        return new XElement(
            "table",
            new XAttribute("class", "components"),
            components
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => new XElement(
                    "tr",
                    new XElement("td", pair.Key),
                    new XElement("td", pair.Value)
                ))
        );
    }

    private static string Link(NetworkLink? link, string absent)
    {
        if (link is null)
        {
            return absent;
        }

        var invariant = CultureInfo.InvariantCulture;
        return $"{link.BandwidthMbit.ToString("0.#", invariant)} Mbit/s, "
            + $"{link.RttMs.ToString("0.#", invariant)} ms round trip, "
            + $"{link.LossPercent.ToString("0.##", invariant)}% loss";
    }

    private static string Duration(TimeSpan duration)
    {
        var invariant = CultureInfo.InvariantCulture;
        return duration.TotalHours >= 1 ? $"{(int)duration.TotalHours} h {duration.Minutes} min"
            : duration.TotalMinutes >= 1 ? $"{(int)duration.TotalMinutes} min {duration.Seconds} s"
            : duration.TotalSeconds.ToString("0.#", invariant) + " s";
    }
}
