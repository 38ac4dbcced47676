namespace Harness.Experiments;

/// <summary>One configuration value and where it came from.</summary>
/// <param name="Key">Configuration key, segments separated by ':' (<c>order:seed</c>).</param>
/// <param name="Value">The value as text.</param>
/// <param name="Origin">The environment variable or <c>--set</c> argument that supplied the
/// value; null for the experiment file.</param>
internal sealed record SettingEntry(string Key, string Value, string? Origin);
