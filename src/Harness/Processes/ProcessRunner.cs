using System.Text;
using CliWrap;

namespace Harness.Processes;

/// <summary>
/// Runs external programs through CliWrap with buffered output. A failing call raises
/// <see cref="ExternalCommandException"/> naming the program, its arguments, exit code and
/// standard error.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs a program and returns its output; throws when it exits non-zero.</summary>
    public static async Task<ProcessResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null
    )
    {
        var result = await TryRunAsync(
            program,
            arguments,
            cancellationToken,
            environment,
            workingDirectory
        );
        if (result.ExitCode != 0)
        {
            throw new ExternalCommandException(
                program,
                arguments,
                result.ExitCode,
                result.StandardError
            );
        }

        return result;
    }

    /// <summary>Runs a program and returns its output and exit code, whatever the code.</summary>
    public static async Task<ProcessResult> TryRunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null
    )
    {
        var standardOutput = new StringBuilder();
        var standardError = new StringBuilder();
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(standardOutput))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(standardError));
        if (environment is not null)
        {
            command = command.WithEnvironmentVariables(environment);
        }

        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        CommandResult result;
        try
        {
            result = await command.ExecuteAsync(cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new HarnessException(
                $"Could not start {program}: {exception.Message}. "
                    + "Check that it is installed and on PATH.",
                exception
            );
        }

        return new ProcessResult(
            result.ExitCode,
            standardOutput.ToString(),
            standardError.ToString(),
            result.RunTime
        );
    }
}
