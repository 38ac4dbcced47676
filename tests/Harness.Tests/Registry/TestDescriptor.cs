namespace Harness.Tests.Registry;

/// <summary>A descriptor written by <see cref="TestImageLayout"/>, with its bytes.</summary>
internal sealed record TestDescriptor(string MediaType, string Digest, long Size, byte[] Content)
{
    public Dictionary<string, object> ToJsonObject() =>
        new()
        {
            ["mediaType"] = MediaType,
            ["digest"] = Digest,
            ["size"] = Size,
        };
}
