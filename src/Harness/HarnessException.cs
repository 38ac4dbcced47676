namespace Harness;

/// <summary>
/// A failure the user can act on: bad input, a missing privilege, a busy port, a component that
/// would not start. The command line prints its message without a stack trace and exits with
/// <see cref="ExitCode"/>.
/// </summary>
public class HarnessException : Exception
{
    public HarnessException(string message, Exception? innerException = null)
        : base(message, innerException) { }

    /// <summary>Process exit code for this failure: 2 unless a subclass overrides it.</summary>
    public virtual int ExitCode => Commands.ExitCodes.InvalidInput;
}
