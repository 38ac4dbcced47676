using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

internal sealed partial class ExperimentReader
{
    private static readonly Regex NamePattern = new(
        "^[A-Za-z0-9][A-Za-z0-9._-]*$",
        RegexOptions.CultureInvariant
    );

    // Returns the raw text of a value, or null when it is absent or already reported as having
    // the wrong shape.
    private string? ReadValue(string key) => misshapenKeys.Contains(key) ? null : settings[key];

    private string ReadName(string defaultName)
    {
        var name = ReadValue("name");
        var fromFileName = name is null;
        name ??= defaultName;
        if (name.Length > ExperimentSchema.MaxNameLength || !NamePattern.IsMatch(name))
        {
            var source = fromFileName ? " (taken from the file name)" : "";
            Report("name", $"found {Quote(name)}{source}, expected {Expected("name")}");
        }

        return name;
    }

    private int? ReadInteger(string key, int minimum, int maximum)
    {
        var text = ReadValue(key);
        if (text is null)
        {
            return null;
        }

        if (
            !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < minimum
            || value > maximum
        )
        {
            ReportInvalid(key, text);
            return null;
        }

        return value;
    }

    private double? ReadNumber(string key, Func<double, bool> isAllowed, bool required = false)
    {
        var text = ReadValue(key);
        if (text is null)
        {
            if (required && !misshapenKeys.Contains(key))
            {
                Report(key, $"missing, expected {Expected(key)}");
            }

            return null;
        }

        if (
            !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value)
            || !isAllowed(value)
        )
        {
            ReportInvalid(key, text);
            return null;
        }

        return value;
    }

    private bool? ReadBoolean(string key)
    {
        var text = ReadValue(key);
        if (text is null)
        {
            return null;
        }

        if (!bool.TryParse(text, out var value))
        {
            ReportInvalid(key, text);
            return null;
        }

        return value;
    }

    // An empty value or the word null (as in --set order.seed=null) leaves the seed to be drawn.
    private int? ReadSeed(string key)
    {
        var text = ReadValue(key);
        if (
            string.IsNullOrWhiteSpace(text)
            || text.Trim().Equals("null", StringComparison.OrdinalIgnoreCase)
        )
        {
            return null;
        }

        return ReadInteger(key, 0, int.MaxValue);
    }

    private void ReportInvalid(string key, string found) =>
        Report(key, $"found {Quote(found)}, expected {Expected(key)}");

    private void Report(string key, string message) =>
        problems.Add(new ExperimentProblem(FormatPath(key), message, findOrigin(key)));

    private static string Expected(string key) =>
        ExperimentSchema.Find(key)?.Expected
        ?? throw new ArgumentException(
            $"No setting '{key}' in the experiment schema.",
            nameof(key)
        );

    private static string Quote(string value) =>
        value.Length == 0 ? "an empty value" : $"`{value}`";

    /// <summary>
    /// Formats a configuration key as the user writes it in the file: <c>order:SEED</c> becomes
    /// <c>order.seed</c> and <c>variants:1</c> becomes <c>variants[1]</c>. Unknown segments keep
    /// their spelling.
    /// </summary>
    internal static string FormatPath(string key)
    {
        if (key.Length == 0)
        {
            return "";
        }

        var path = new System.Text.StringBuilder();
        SettingNode? node = ExperimentSchema.Root;
        foreach (var segment in key.Split(ConfigurationPath.KeyDelimiter))
        {
            if (node?.Kind == SettingKind.List && int.TryParse(segment, out _))
            {
                path.Append('[').Append(segment).Append(']');
                node = null;
                continue;
            }

            var child = node?.FindChild(segment);
            if (path.Length > 0)
            {
                path.Append('.');
            }

            path.Append(child?.Name ?? segment);
            node = child;
        }

        return path.ToString();
    }
}
