using System.Text;

namespace Harness.Experiments;

/// <summary>
/// Every problem found in an experiment file and its overrides, reported together so the user
/// can fix them all in one pass. Exits with code 2.
/// </summary>
public sealed class ExperimentValidationException : HarnessException
{
    public ExperimentValidationException(string filePath, IReadOnlyList<ExperimentProblem> problems)
        : base(FormatMessage(filePath, problems))
    {
        FilePath = filePath;
        Problems = problems;
    }

    /// <summary>Path of the experiment file as the user gave it.</summary>
    public string FilePath { get; }

    /// <summary>The problems in the order they were found; never empty.</summary>
    public IReadOnlyList<ExperimentProblem> Problems { get; }

    private static string FormatMessage(string filePath, IReadOnlyList<ExperimentProblem> problems)
    {
        var text = new StringBuilder();
        var count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        text.Append($"experiment {filePath} is invalid ({count}):");
        foreach (var problem in problems)
        {
            text.Append("\n  - ").Append(problem);
        }

        text.Append("\nFix them and check again with: harness validate ").Append(filePath);
        return text.ToString();
    }
}
