namespace Harness.Measurement;

/// <summary>Outcome of one cold-start sample, as written to the <c>status</c> column.</summary>
public static class SampleStatus
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string TimedOut = "timed_out";
    public const string Interrupted = "interrupted";
}
