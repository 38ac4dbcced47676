using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

/// <summary>
/// Stacks the sources of an experiment's settings: the file, then <c>HARNESS_</c> environment
/// variables, then <c>--set</c> arguments, each overriding the ones before.
/// </summary>
/// <remarks>
/// Layered configuration providers merge lists item by item, so a three-item list in the file
/// overridden by a two-item list would keep the file's third item. Here a layer that sets a
/// list, or any item of it, replaces the whole list instead.
/// </remarks>
internal sealed class SettingLayers
{
    private readonly Dictionary<string, SettingEntry> entries = new(
        StringComparer.OrdinalIgnoreCase
    );

    /// <summary>Every value that came from an environment variable or <c>--set</c>, as
    /// <c>NAME=value</c> or <c>--set key=value</c>, in the order applied.</summary>
    public List<string> Overrides { get; } = [];

    /// <summary>Applies one layer on top of the layers applied before.</summary>
    public void Apply(IReadOnlyCollection<SettingEntry> layer)
    {
        var replacedLists = layer
            .Select(entry => FindListKey(entry.Key))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var listKey in replacedLists)
        {
            var covered = entries.Keys.Where(key => IsSameOrBelow(key, listKey)).ToList();
            foreach (var key in covered)
            {
                entries.Remove(key);
            }
        }

        foreach (var entry in layer)
        {
            entries[entry.Key] = entry;
            if (entry.Origin is not null && !Overrides.Contains(entry.Origin))
            {
                Overrides.Add(entry.Origin);
            }
        }
    }

    /// <summary>Builds the merged configuration that the reader walks.</summary>
    public IConfigurationRoot Build() =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(
                entries.Values.Select(entry => new KeyValuePair<string, string?>(
                    entry.Key,
                    entry.Value
                ))
            )
            .Build();

    /// <summary>Returns where the value of a key came from, or null for the file and for
    /// keys without a value.</summary>
    public string? FindOrigin(string key) =>
        entries.TryGetValue(key, out var entry) ? entry.Origin : null;

    private static bool IsSameOrBelow(string key, string ancestor) =>
        key.Equals(ancestor, StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(
            ancestor + ConfigurationPath.KeyDelimiter,
            StringComparison.OrdinalIgnoreCase
        );

    // Returns the prefix of the key that names a list setting, such as "VARIANTS" for
    // "VARIANTS:0", or null when the key is not a list or inside one.
    private static string? FindListKey(string key)
    {
        var segments = key.Split(ConfigurationPath.KeyDelimiter);
        var node = ExperimentSchema.Root;
        for (var count = 1; count <= segments.Length; count++)
        {
            var child = node.FindChild(segments[count - 1]);
            if (child is null)
            {
                return null;
            }

            if (child.Kind == SettingKind.List)
            {
                return string.Join(ConfigurationPath.KeyDelimiter, segments.Take(count));
            }

            node = child;
        }

        return null;
    }
}
