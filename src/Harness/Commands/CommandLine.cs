using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Harness.Commands;

/// <summary>
/// Builds the <c>harness</c> command tree, runs the chosen verb and turns failures into exit
/// codes: 2 for bad input or an unusable environment, 130 after Ctrl-C.
/// </summary>
public static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "Measures cold starts of lazily pulled (eStargz) and fully pulled container images."
        );
        root.Options.Add(GlobalOptions.Verbose);
        foreach (var command in CommandGroups.All())
        {
            root.Subcommands.Add(command);
        }

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("Run 'harness --help' to see the commands and their options.");
            return ExitCodes.InvalidInput;
        }

        try
        {
            // After Ctrl-C a run records the sample in flight and resets the node. It gets two
            // minutes for that instead of the library's default of two seconds.
            var invocation = new InvocationConfiguration
            {
                ProcessTerminationTimeout = TimeSpan.FromMinutes(2),

                // Failures reach the handlers below, which print the message without a stack
                // trace and pick the exit code.
                EnableDefaultExceptionHandler = false,
            };
            return await parseResult.InvokeAsync(invocation);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (HarnessException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return exception.ExitCode;
        }
    }

    /// <summary>Creates the console logger for one command, honouring <c>--verbose</c>.</summary>
    public static ILoggerFactory CreateLoggerFactory(ParseResult parseResult) =>
        LoggerFactory.Create(builder =>
            builder
                .SetMinimumLevel(
                    parseResult.GetValue(GlobalOptions.Verbose)
                        ? LogLevel.Debug
                        : LogLevel.Information
                )
                .AddConsole(options =>
                {
                    options.FormatterName = ConsoleLogFormatter.FormatterName;

                    // Messages go to standard error so that standard output carries only results.
                    options.LogToStandardErrorThreshold = LogLevel.Trace;
                })
                .AddConsoleFormatter<ConsoleLogFormatter, ConsoleFormatterOptions>()
        );
}
