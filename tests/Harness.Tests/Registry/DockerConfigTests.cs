using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class DockerConfigTests
{
    private static string FixturePath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Registry", "DockerConfig", name);

    [Fact]
    public void AuthFieldKeepsColonsInPassword()
    {
        var config = DockerConfig.Load(FixturePath("auth-field.json"));

        var credentials = config.GetCredentials("127.0.0.1:15150");

        Assert.Equal(new RegistryCredentials("alice", "s3cret:with:colons"), credentials);
    }

    [Fact]
    public void KeyWithSchemeAndPathMatchesHost()
    {
        var config = DockerConfig.Load(FixturePath("username-password.json"));

        Assert.Equal(
            new RegistryCredentials("bob", "bobs-password"),
            config.GetCredentials("localhost:5000")
        );
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    public void DockerHubKeyServesEveryHubAlias(string registry)
    {
        var config = DockerConfig.Load(FixturePath("docker-hub.json"));

        Assert.Equal(
            new RegistryCredentials("carol", "hub-token"),
            config.GetCredentials(registry)
        );
    }

    [Fact]
    public void UnknownRegistryHasNoCredentials()
    {
        var config = DockerConfig.Load(FixturePath("auth-field.json"));

        Assert.Null(config.GetCredentials("127.0.0.1:15151"));
    }

    [Fact]
    public void CredentialHelperForRegistryIsReportedAsUnsupported()
    {
        var config = DockerConfig.Load(FixturePath("cred-helpers.json"));

        var exception = Assert.Throws<HarnessException>(() =>
            config.GetCredentials("registry.example.com")
        );

        Assert.Contains("docker-credential-pass", exception.Message);
        Assert.Contains("does not run credential helpers", exception.Message);
        Assert.DoesNotContain("s3cret", exception.Message);
    }

    [Fact]
    public void CredentialStoreAppliesOnlyWithoutInlineEntry()
    {
        var config = DockerConfig.Load(FixturePath("creds-store.json"));

        var exception = Assert.Throws<HarnessException>(() =>
            config.GetCredentials("registry.example.com")
        );
        var inline = config.GetCredentials("127.0.0.1:15150");

        Assert.Contains("docker-credential-desktop", exception.Message);
        Assert.Equal("alice", inline?.Username);
    }

    [Fact]
    public void IdentityTokenIsReportedWithoutItsValue()
    {
        var config = DockerConfig.Load(FixturePath("identity-token.json"));

        var exception = Assert.Throws<HarnessException>(() =>
            config.GetCredentials("registry.example.com")
        );

        Assert.Contains("identity token", exception.Message);
        Assert.DoesNotContain("an-identity-token-value", exception.Message);
    }

    [Theory]
    [InlineData("auth-not-base64.json", "not valid base64", "secret")]
    [InlineData("auth-without-colon.json", "does not decode to user:password", "no-colon-here")]
    public void MalformedAuthFieldIsReportedWithoutItsValue(
        string fixture,
        string reason,
        string secret
    )
    {
        var config = DockerConfig.Load(FixturePath(fixture));

        var exception = Assert.Throws<HarnessException>(() =>
            config.GetCredentials("registry.example.com")
        );

        Assert.Contains(reason, exception.Message);
        Assert.Contains(fixture, exception.Message);
        Assert.DoesNotContain(secret, exception.Message);
    }

    [Fact]
    public void MalformedJsonNamesFileAndLine()
    {
        var exception = Assert.Throws<HarnessException>(() =>
            DockerConfig.Load(FixturePath("malformed.json"))
        );

        Assert.Contains("malformed.json", exception.Message);
        Assert.Contains("not valid JSON", exception.Message);
        Assert.DoesNotContain("c2VjcmV0", exception.Message);
    }

    [Fact]
    public void CredentialsToStringLeavesPasswordOut()
    {
        var credentials = new RegistryCredentials("alice", "very-secret");

        Assert.DoesNotContain("very-secret", credentials.ToString());
        Assert.Contains("alice", credentials.ToString());
    }
}
