namespace Harness.Processes;

/// <summary>An external program exited with a non-zero code.</summary>
public sealed class ExternalCommandException : HarnessException
{
    public ExternalCommandException(
        string program,
        IReadOnlyList<string> arguments,
        int exitCode,
        string standardError
    )
        : base(FormatMessage(program, arguments, exitCode, standardError))
    {
        Program = program;
        Arguments = arguments;
        ProgramExitCode = exitCode;
        StandardError = standardError;
    }

    public string Program { get; }
    public IReadOnlyList<string> Arguments { get; }
    public int ProgramExitCode { get; }
    public string StandardError { get; }

    private static string FormatMessage(
        string program,
        IReadOnlyList<string> arguments,
        int exitCode,
        string standardError
    )
    {
        var commandLine = string.Join(' ', arguments.Prepend(program).Select(QuoteIfNeeded));
        var error = standardError.Trim();
        if (error.Length == 0)
        {
            error = "(nothing on standard error)";
        }

        return $"{program} failed with exit code {exitCode}.\n"
            + $"Command: {commandLine}\nStandard error:\n{error}";
    }

    private static string QuoteIfNeeded(string argument) =>
        argument.Length > 0 && !argument.Any(char.IsWhiteSpace) ? argument : $"'{argument}'";
}
