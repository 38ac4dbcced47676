using Harness.Registry;
using Harness.Tests.Experiments;

namespace Harness.Tests.Registry;

// These tests change DOCKER_CONFIG and HOME, so they run in the collection that runs alone.
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class DockerConfigLocationTests
{
    [Fact]
    public void DefaultPathFollowsDockerConfigVariable()
    {
        using var environment = new EnvironmentVariableScope().Set("DOCKER_CONFIG", "/some/folder");

        Assert.Equal("/some/folder/config.json", DockerConfig.DefaultPath);
    }

    [Fact]
    public void DefaultPathFallsBackToHomeDotDocker()
    {
        using var environment = new EnvironmentVariableScope()
            .Set("DOCKER_CONFIG", null)
            .Set("HOME", "/home/someone");

        Assert.Equal("/home/someone/.docker/config.json", DockerConfig.DefaultPath);
    }

    [Fact]
    public void LoadDefaultReadsConfigFromDockerConfigFolder()
    {
        var folder = Directory.CreateTempSubdirectory("harness-docker-config-").FullName;
        try
        {
            File.Copy(
                Path.Combine(
                    AppContext.BaseDirectory,
                    "Fixtures",
                    "Registry",
                    "DockerConfig",
                    "auth-field.json"
                ),
                Path.Combine(folder, "config.json")
            );
            using var environment = new EnvironmentVariableScope().Set("DOCKER_CONFIG", folder);

            var config = DockerConfig.LoadDefault();

            Assert.Equal("alice", config.GetCredentials("127.0.0.1:15150")?.Username);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MissingDefaultFileGivesEmptyConfig()
    {
        var folder = Directory.CreateTempSubdirectory("harness-docker-config-").FullName;
        try
        {
            using var environment = new EnvironmentVariableScope().Set("DOCKER_CONFIG", folder);

            var config = DockerConfig.LoadDefault();

            Assert.Null(config.SourcePath);
            Assert.Null(config.GetCredentials("127.0.0.1:15150"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
