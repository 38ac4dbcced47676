namespace Harness.Registry;

/// <summary>
/// A user name and password (or access token) for a registry or its token server.
/// <see cref="ToString"/> leaves the password out, so the credentials are safe to log.
/// </summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>Formats the credentials without the password.</summary>
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}
