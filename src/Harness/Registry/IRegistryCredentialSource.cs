namespace Harness.Registry;

/// <summary>Source of credentials per registry, consulted only on an authentication challenge.
/// </summary>
public interface IRegistryCredentialSource
{
    /// <summary>Returns credentials for a registry name such as <c>127.0.0.1:5000</c> or
    /// <c>docker.io</c>, or null to go on anonymously.</summary>
    RegistryCredentials? GetCredentials(string registry);
}
