namespace Harness.Experiments;

/// <summary>One entry of a list setting and where to report a problem with it.</summary>
/// <param name="Path">Path of the entry as the user writes it, such as <c>variants[1]</c>.
/// </param>
/// <param name="Origin">The environment variable or <c>--set</c> argument that supplied the
/// entry; null for the experiment file.</param>
/// <param name="Value">The entry with surrounding white space removed.</param>
internal sealed record SettingListItem(string Path, string? Origin, string Value)
{
    /// <summary>Creates a problem about this entry.</summary>
    public ExperimentProblem ToProblem(string message) => new(Path, message, Origin);
}
