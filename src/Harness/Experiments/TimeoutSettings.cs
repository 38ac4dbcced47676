namespace Harness.Experiments;

/// <summary>Limits, in seconds, after which a sample is recorded as timed out.</summary>
public sealed record TimeoutSettings
{
    public double PullSeconds { get; init; } = 300;
    public double ReadySeconds { get; init; } = 60;
    public double RequestSeconds { get; init; } = 30;
}
