using System.CommandLine;
using Harness.Runs;

namespace Harness.Commands;

/// <summary>The <c>harness run</c> verb.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("EXPERIMENT")
        {
            Description = "Experiment file, such as experiments/nodejs.json.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var set = new Option<string[]>("--set")
        {
            Description =
                "Override a setting, as key=value (for example repetitions=3 or "
                + "network.rttMs=50). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Finish the interrupted run in this results folder.",
        };
        var results = new Option<string?>("--results")
        {
            Description =
                "Folder to create results folders in (default: results/ in the " + "repository).",
        };
        var command = new Command(
            "run",
            "Run an experiment: set up the node, build and push the images, measure every "
                + "cold start, and write samples.csv, summary.csv, manifest.json and figures."
        );
        command.Arguments.Add(file);
        command.Options.Add(set);
        command.Options.Add(resume);
        command.Options.Add(results);
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                var experimentFile = parseResult.GetValue(file);
                var resumeFolder = parseResult.GetValue(resume);
                var overrides = parseResult.GetValue(set) ?? [];
                if ((experimentFile is null) == (resumeFolder is null))
                {
                    throw new HarnessException(
                        "Give either an experiment file ('harness run experiments/nodejs.json') or "
                            + "--resume with the results folder of an interrupted run, not both or "
                            + "neither."
                    );
                }

                if (resumeFolder is not null && overrides.Length > 0)
                {
                    throw new HarnessException(
                        "--set cannot change a resumed run: it keeps the settings it started with."
                    );
                }

                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var outcome = await new ExperimentRunner(loggers).RunAsync(
                    new RunRequest
                    {
                        ExperimentFile = experimentFile,
                        Overrides = overrides,
                        ResumeFolder = resumeFolder,
                        ResultsRoot = parseResult.GetValue(results),
                    },
                    cancellationToken
                );
                return outcome.Complete ? ExitCodes.Success : ExitCodes.Interrupted;
            }
        );
        return command;
    }
}
