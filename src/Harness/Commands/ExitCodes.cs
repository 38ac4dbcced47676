namespace Harness.Commands;

/// <summary>Exit codes of the <c>harness</c> command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The work ran but its verdict is negative: a regression, an unhealthy
    /// node.</summary>
    public const int Failure = 1;

    /// <summary>Bad input or an environment the harness cannot use; nothing was changed.</summary>
    public const int InvalidInput = 2;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
