namespace Harness.Registry;

/// <summary>Progress of one blob or manifest during a push; sizes are in bytes.</summary>
public sealed record PushProgress(
    string Digest,
    string MediaType,
    long Size,
    long BytesSent,
    PushStage Stage
);
