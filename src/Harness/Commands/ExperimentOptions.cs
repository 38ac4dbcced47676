using System.CommandLine;

namespace Harness.Commands;

/// <summary>The arguments every verb that reads an experiment file accepts.</summary>
public static class ExperimentOptions
{
    /// <summary>Creates the experiment file argument.</summary>
    public static Argument<string> CreateFileArgument() =>
        new("file") { Description = "Experiment JSON file, such as experiments/nodejs.json." };

    /// <summary>Creates the repeatable <c>--set key=value</c> option.</summary>
    public static Option<string[]> CreateSetOption() =>
        new("--set")
        {
            Description =
                "Override a setting of the experiment file, as key=value. Nested keys use '.' "
                + "(order.seed=42), lists are comma-separated (variants=overlayfs,estargz). "
                + "Repeat for several settings; --set wins over HARNESS_ environment variables.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
}
