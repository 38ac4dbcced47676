using System.Globalization;
using Harness.Images;
using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

internal sealed partial class ExperimentReader
{
    private const string WorkloadManifestFile = "workload.json";

    private List<ImageVariant>? ReadVariants()
    {
        var items = ReadList("variants");
        if (items is null)
        {
            return null;
        }

        var variants = new List<ImageVariant>();
        foreach (var item in items)
        {
            if (ImageVariantNames.TryParse(item.Value, out var variant))
            {
                variants.Add(variant);
                continue;
            }

            var hint = SpellingHint.Format(item.Value, ImageVariantNames.All);
            var allowed = string.Join(", ", ImageVariantNames.All);
            problems.Add(
                item.ToProblem(
                    $"unknown variant {Quote(item.Value)}, expected one of {allowed}{hint}"
                )
            );
        }

        return variants;
    }

    private List<string>? ReadWorkloads(Func<string> findWorkloadsRoot)
    {
        var items = ReadList("workloads");
        if (items is null)
        {
            return null;
        }

        string root;
        try
        {
            root = findWorkloadsRoot();
        }
        catch (HarnessException exception)
        {
            Report("workloads", $"cannot check the workloads: {exception.Message}");
            return null;
        }

        List<string>? available = null;
        foreach (var item in items)
        {
            if (!IsFolderName(item.Value))
            {
                problems.Add(
                    item.ToProblem(
                        $"found {Quote(item.Value)}, expected the name of a folder in {root}"
                    )
                );
                continue;
            }

            var folder = Path.Combine(root, item.Value);
            if (File.Exists(Path.Combine(folder, WorkloadManifestFile)))
            {
                continue;
            }

            available ??= ListWorkloads(root);
            problems.Add(item.ToProblem(DescribeMissingWorkload(item.Value, root, available)));
        }

        return items.Select(item => item.Value).ToList();
    }

    private static string DescribeMissingWorkload(
        string workload,
        string root,
        List<string> available
    )
    {
        if (!Directory.Exists(root))
        {
            return $"workload `{workload}` not found because the workloads folder {root} "
                + "does not exist";
        }

        var folder = Path.Combine(root, workload);
        var reason = Directory.Exists(folder)
            ? $"the folder {folder} has no {WorkloadManifestFile}"
            : $"no folder {workload} in {root}";
        var list = available.Count == 0 ? "none" : string.Join(", ", available);
        var hint = SpellingHint.Format(workload, available);
        return $"workload `{workload}` not found: {reason}. Available workloads: {list}{hint}";
    }

    // Workloads are the folders of the root that contain a workload manifest.
    private static List<string> ListWorkloads(string root) =>
        !Directory.Exists(root)
            ? []
            : Directory
                .EnumerateDirectories(root)
                .Where(folder => File.Exists(Path.Combine(folder, WorkloadManifestFile)))
                .Select(folder => Path.GetFileName(folder))
                .Order(StringComparer.Ordinal)
                .ToList();

    private static bool IsFolderName(string name) =>
        name.Length > 0
        && name != "."
        && name != ".."
        && name.IndexOfAny(['/', '\\']) < 0
        && !name.Any(char.IsWhiteSpace);

    // Reads a list from JSON array items or from one comma-separated override value, and
    // reports empty lists, empty entries and entries listed twice. Returns null when the list
    // is absent or empty, or has the wrong shape.
    private List<SettingListItem>? ReadList(string key)
    {
        if (misshapenKeys.Contains(key))
        {
            return null;
        }

        var section = settings.GetSection(key);
        var items = section.GetChildren().Any()
            ? ReadArrayItems(section, key)
            : SplitValue(section.Value, key);
        if (items is null)
        {
            Report(key, $"missing, expected {Expected(key)}");
            return null;
        }

        if (items.Count == 0)
        {
            Report(key, $"the list is empty, expected {Expected(key)}");
            return null;
        }

        var firstPathByValue = new Dictionary<string, string>(StringComparer.Ordinal);
        var distinct = new List<SettingListItem>();
        foreach (var item in items)
        {
            if (item.Value.Length == 0)
            {
                problems.Add(item.ToProblem($"found an empty entry, expected {Expected(key)}"));
            }
            else if (firstPathByValue.TryGetValue(item.Value, out var firstPath))
            {
                problems.Add(
                    item.ToProblem(
                        $"`{item.Value}` is listed twice (first at {firstPath}), "
                            + "expected each entry once"
                    )
                );
            }
            else
            {
                firstPathByValue[item.Value] = item.Path;
                distinct.Add(item);
            }
        }

        return distinct;
    }

    private List<SettingListItem> ReadArrayItems(IConfigurationSection section, string key) =>
        section
            .GetChildren()
            .Where(item => !misshapenKeys.Contains(key + ConfigurationPath.KeyDelimiter + item.Key))
            .Select(item => (Index: int.Parse(item.Key, CultureInfo.InvariantCulture), item))
            .OrderBy(pair => pair.Index)
            .Select(pair => new SettingListItem(
                FormatPath(key) + $"[{pair.Index}]",
                findOrigin(key + ConfigurationPath.KeyDelimiter + pair.item.Key),
                (pair.item.Value ?? "").Trim()
            ))
            .ToList();

    private List<SettingListItem>? SplitValue(string? value, string key)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Trim().Length == 0)
        {
            return [];
        }

        var origin = findOrigin(key);
        return value
            .Split(',')
            .Select(
                (entry, index) =>
                    new SettingListItem($"{FormatPath(key)}[{index}]", origin, entry.Trim())
            )
            .ToList();
    }
}
