namespace Harness.Registry;

/// <summary>Gives the same credentials to every registry (for one-registry clients and tests).
/// </summary>
public sealed class StaticCredentialSource(RegistryCredentials? credentials)
    : IRegistryCredentialSource
{
    /// <summary>Returns the credentials given to the constructor.</summary>
    public RegistryCredentials? GetCredentials(string registry) => credentials;
}
