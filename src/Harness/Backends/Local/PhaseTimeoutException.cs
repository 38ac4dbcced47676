namespace Harness.Backends.Local;

/// <summary>A phase of a cold start did not finish within its limit.</summary>
public sealed class PhaseTimeoutException : Exception
{
    public PhaseTimeoutException(string phase, double seconds)
        : base($"{phase} timed out after {seconds:0.###} s")
    {
        Phase = phase;
    }

    public string Phase { get; }
}
