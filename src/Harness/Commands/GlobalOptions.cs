using System.CommandLine;

namespace Harness.Commands;

/// <summary>Options every verb accepts.</summary>
public static class GlobalOptions
{
    public static Option<bool> Verbose { get; } =
        new("--verbose", "-v")
        {
            Description = "Log every external command and its timing.",
            Recursive = true,
        };
}
