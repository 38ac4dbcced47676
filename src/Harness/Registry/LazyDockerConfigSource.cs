namespace Harness.Registry;

/// <summary>
/// Reads the Docker config file at its default path on the first authentication challenge,
/// so that a client that is never challenged never reads the file.
/// </summary>
internal sealed class LazyDockerConfigSource : IRegistryCredentialSource
{
    private readonly Lazy<DockerConfig> config = new(DockerConfig.LoadDefault);

    /// <summary>Returns the credentials the Docker config file stores for a registry.</summary>
    public RegistryCredentials? GetCredentials(string registry) =>
        config.Value.GetCredentials(registry);
}
