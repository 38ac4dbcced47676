using Harness.Registry;

namespace Harness.Tests.Registry;

[CollectionDefinition(nameof(DockerConfigLocationTests), DisableParallelization = true)]
public sealed class DockerConfigLocationCollection;

// These tests change DOCKER_CONFIG and HOME, so they run alone.
[Collection(nameof(DockerConfigLocationTests))]
public sealed class DockerConfigLocationTests
{
    [Fact]
    public void DefaultPathFollowsDockerConfigVariable()
    {
        var saved = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", "/some/folder");

            Assert.Equal("/some/folder/config.json", DockerConfig.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", saved);
        }
    }

    [Fact]
    public void DefaultPathFallsBackToHomeDotDocker()
    {
        var savedConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        var savedHome = Environment.GetEnvironmentVariable("HOME");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", null);
            Environment.SetEnvironmentVariable("HOME", "/home/someone");

            Assert.Equal("/home/someone/.docker/config.json", DockerConfig.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", savedConfig);
            Environment.SetEnvironmentVariable("HOME", savedHome);
        }
    }

    [Fact]
    public void LoadDefaultReadsConfigFromDockerConfigFolder()
    {
        var saved = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        var folder = Directory.CreateTempSubdirectory("harness-docker-config-").FullName;
        try
        {
            File.Copy(
                Path.Combine(AppContext.BaseDirectory, "Fixtures", "Registry", "DockerConfig",
                    "auth-field.json"),
                Path.Combine(folder, "config.json"));
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", folder);

            var config = DockerConfig.LoadDefault();

            Assert.Equal("alice", config.GetCredentials("127.0.0.1:15150")?.Username);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", saved);
            Directory.Delete(folder, recursive: true);
        }
    }
}
