namespace Harness.Backends.Knative;

/// <summary>A cold start that ended early; becomes a sample row with <see cref="Status"/>.
/// </summary>
internal sealed class KnativeSampleFailure : Exception
{
    public KnativeSampleFailure(string status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>A <see cref="Measurement.SampleStatus"/> value.</summary>
    public string Status { get; }
}
