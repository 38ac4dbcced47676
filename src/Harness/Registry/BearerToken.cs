namespace Harness.Registry;

/// <summary>A bearer token from a token server and the time it stops being used.</summary>
internal sealed record BearerToken(string Value, DateTimeOffset RenewAfter)
{
    /// <summary>Formats the token without its value, so it is safe to log.</summary>
    public override string ToString() => $"BearerToken {{ RenewAfter = {RenewAfter:O} }}";
}
