namespace Harness.Registry;

/// <summary>
/// Reads the Docker config file at its default path the first time a registry asks for
/// credentials, so that a client which never meets a challenge never touches the file.
/// </summary>
internal sealed class LazyDockerConfigSource : IRegistryCredentialSource
{
    private readonly Lazy<DockerConfig> config = new(DockerConfig.LoadDefault);

    /// <summary>Returns the credentials the Docker config file stores for a registry.</summary>
    public RegistryCredentials? GetCredentials(string registry) =>
        config.Value.GetCredentials(registry);
}
