namespace Harness.Experiments;

/// <summary>A setting an experiment file may contain, with what it accepts.</summary>
/// <param name="Name">Key as written in the file, in camelCase.</param>
/// <param name="Kind">Whether the key contains a value, a list or nested settings.</param>
/// <param name="Expected">What the setting accepts, phrased to follow "expected".</param>
/// <param name="Children">Keys of a section; empty for values and lists.</param>
internal sealed record SettingNode(
    string Name,
    SettingKind Kind,
    string Expected,
    IReadOnlyList<SettingNode> Children
)
{
    /// <summary>Creates a setting that contains one value.</summary>
    public static SettingNode Scalar(string name, string expected) =>
        new(name, SettingKind.Scalar, expected, []);

    /// <summary>Creates a setting that contains a list of values.</summary>
    public static SettingNode List(string name, string expected) =>
        new(name, SettingKind.List, expected, []);

    /// <summary>Creates a setting that contains nested settings.</summary>
    public static SettingNode Section(string name, params SettingNode[] children) =>
        new(
            name,
            SettingKind.Section,
            $"an object with the keys {string.Join(", ", children.Select(child => child.Name))}",
            children
        );

    /// <summary>Finds a child by key, ignoring case as configuration keys do.</summary>
    public SettingNode? FindChild(string key) =>
        Children.FirstOrDefault(child =>
            string.Equals(child.Name, key, StringComparison.OrdinalIgnoreCase)
        );
}
