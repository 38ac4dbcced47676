using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Harness.Experiments;

namespace Harness.Commands;

/// <summary>
/// <c>harness validate FILE [--set key=value ...]</c>: loads an experiment with its overrides,
/// then prints the resolved settings and the size of the plan, or every problem found.
/// </summary>
public static class ValidateCommand
{
    private static readonly JsonSerializerOptions PrintOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Creates the <c>validate</c> command.</summary>
    public static Command Create()
    {
        var file = ExperimentOptions.CreateFileArgument();
        var set = ExperimentOptions.CreateSetOption();
        var command = new Command(
            "validate",
            "Check an experiment file and its overrides without running anything: print the "
                + "resolved settings and plan size, or list every problem (exit code 2)."
        );
        command.Arguments.Add(file);
        command.Options.Add(set);
        command.SetAction(
            (parseResult, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                LoadedExperiment loaded;
                try
                {
                    loaded = ExperimentLoader.Load(
                        parseResult.GetValue(file)!,
                        parseResult.GetValue(set) ?? []
                    );
                }
                catch (HarnessException exception)
                {
                    // NOTE: System.CommandLine's default exception handler catches exceptions from
                    // actions before CommandLine.RunAsync receives them. It prints a stack trace
                    // and exits with 1, so this command reports its input errors itself.
                    Console.Error.WriteLine($"error: {exception.Message}");
                    return Task.FromResult(exception.ExitCode);
                }

                Print(loaded, Console.Out);
                return Task.FromResult(ExitCodes.Success);
            }
        );
        return command;
    }

    /// <summary>Writes the resolved experiment and a one-line summary of its plan.</summary>
    public static void Print(LoadedExperiment loaded, TextWriter output)
    {
        var experiment = loaded.Experiment;
        output.WriteLine($"Experiment file: {loaded.FilePath}");
        output.WriteLine($"SHA-256: {loaded.FileSha256}");
        foreach (var applied in loaded.Overrides)
        {
            output.WriteLine($"Override: {applied}");
        }

        output.WriteLine(loaded.Settings.ToJsonString(PrintOptions));

        var plan = ExperimentPlan.Create(experiment);
        var order =
            !experiment.Order.Shuffle ? "grouped by workload and variant"
            : experiment.Order.Seed is { } seed ? $"shuffled with seed {seed}"
            : "shuffled with a seed drawn when the run starts";
        var workloads = Count(experiment.Workloads.Count, "workload");
        output.WriteLine(
            $"Plan: {plan.Samples.Count} samples = {workloads}"
                + $" x {Count(experiment.Variants.Count, "variant")}"
                + $" x ({Count(experiment.Warmup, "warm-up")}"
                + $" + {experiment.Repetitions} measured), "
                + $"{order}."
        );
    }

    private static string Count(int count, string noun) =>
        count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
