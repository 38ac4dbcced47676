namespace Harness.Experiments;

/// <summary>
/// One thing wrong with an experiment: the setting it concerns, what was found and what is
/// allowed, and where the value came from when it was not the experiment file.
/// </summary>
/// <param name="Path">Setting path as written in the file, such as <c>order.seed</c> or
/// <c>variants[1]</c>; empty for the file as a whole.</param>
/// <param name="Message">What was found and what is allowed.</param>
/// <param name="Origin">The environment variable or <c>--set</c> argument that supplied the
/// value; null when the value came from the file or is missing.</param>
public sealed record ExperimentProblem(string Path, string Message, string? Origin = null)
{
    /// <summary>Formats the problem as one line: path, origin, then the message.</summary>
    public override string ToString()
    {
        var origin = Origin is null ? "" : $" (from {Origin})";
        var where = Path.Length == 0 && Origin is null ? "" : $"{Path}{origin}: ";
        return where.TrimStart() + Message;
    }
}
