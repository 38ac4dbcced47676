using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Harness.Commands;

/// <summary>
/// Writes one line per message: time, level and text, without the category and event id the
/// default formatter adds, which mean nothing to someone running an experiment.
/// </summary>
internal sealed class ConsoleLogFormatter : ConsoleFormatter
{
    public const string FormatterName = "harness";

    public ConsoleLogFormatter()
        : base(FormatterName) { }

    public override void Write<TState>(
        in LogEntry<TState> logEntry,
        IExternalScopeProvider? scopeProvider,
        TextWriter textWriter
    )
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info ",
            LogLevel.Warning => "WARN ",
            LogLevel.Error => "ERROR",
            LogLevel.Critical => "FATAL",
            _ => "     ",
        };
        textWriter.Write($"{DateTime.Now:HH:mm:ss} {level} {message}");
        if (logEntry.Exception is not null)
        {
            textWriter.Write($" ({logEntry.Exception.Message})");
        }

        textWriter.WriteLine();
    }
}
