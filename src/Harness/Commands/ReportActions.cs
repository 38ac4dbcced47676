namespace Harness.Commands;

/// <summary>
/// Runs the action of a report verb and turns a <see cref="HarnessException"/> into its
/// message and exit code. System.CommandLine's default exception handler would otherwise
/// print a stack trace and exit 1, which callers would read as a verdict rather than bad
/// input.
/// </summary>
internal static class ReportActions
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (HarnessException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return exception.ExitCode;
        }
    }
}
