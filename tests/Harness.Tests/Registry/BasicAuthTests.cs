using System.Net;
using System.Text;
using System.Text.Json;
using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class BasicAuthTests(BasicAuthRegistryFixture registry)
    : IClassFixture<BasicAuthRegistryFixture>
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    private static RegistryClientOptions WithCredentials(string username, string password) =>
        new() { Credentials = new StaticCredentialSource(new(username, password)) };

    [RegistryFact(NeedsHtpasswd = true)]
    public async Task CorrectCredentialsUploadAndReadBack()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(
            registry.Name,
            WithCredentials(BasicAuthRegistryFixture.Username, BasicAuthRegistryFixture.Password)
        );
        var content = TestImageLayout.RandomBytes(50_000, seed: 40);
        var blob = BlobSource.FromBytes(content);

        await client.UploadBlobAsync("basic/app", blob, null, timeout.Token);

        var readBack = new MemoryStream();
        await client.CopyBlobToAsync("basic/app", blob.Digest, readBack, timeout.Token);
        Assert.Equal(content, readBack.ToArray());
    }

    [RegistryFact(NeedsHtpasswd = true)]
    public async Task MissingCredentialsSuggestDockerLogin()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(
            registry.Name,
            new RegistryClientOptions { Credentials = new StaticCredentialSource(null) }
        );

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.BlobExistsAsync("basic/app", TestImageLayout.Sha256([1]), timeout.Token)
        );

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Contains($"docker login {registry.Name}", exception.Message);
    }

    [RegistryFact(NeedsHtpasswd = true)]
    public async Task WrongPasswordIsRejectedWithoutShowingIt()
    {
        using var timeout = Timeout();
        const string wrongPassword = "Wrong-Password-0b9e";
        using var client = new RegistryClient(
            registry.Name,
            WithCredentials(BasicAuthRegistryFixture.Username, wrongPassword)
        );

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.UploadBlobAsync(
                "basic/app",
                BlobSource.FromBytes([1, 2, 3]),
                null,
                timeout.Token
            )
        );

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.DoesNotContain(wrongPassword, exception.ToString());
        var encoded = Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{BasicAuthRegistryFixture.Username}:{wrongPassword}")
        );
        Assert.DoesNotContain(encoded, exception.ToString());
    }

    [RegistryFact(NeedsHtpasswd = true)]
    public async Task DockerConfigCredentialsAreUsedWhenChallenged()
    {
        using var timeout = Timeout();
        var auth = Convert.ToBase64String(
            Encoding.UTF8.GetBytes(
                $"{BasicAuthRegistryFixture.Username}:{BasicAuthRegistryFixture.Password}"
            )
        );
        var json = JsonSerializer.Serialize(
            new
            {
                auths = new Dictionary<string, object>
                {
                    [$"http://{registry.Name}"] = new { auth },
                },
            }
        );
        var config = DockerConfig.Parse(json, "test config");
        using var client = new RegistryClient(
            registry.Name,
            new RegistryClientOptions { Credentials = config }
        );
        var blob = BlobSource.FromBytes(TestImageLayout.RandomBytes(100, seed: 41));

        await client.UploadBlobAsync("basic/config", blob, null, timeout.Token);

        Assert.True(await client.BlobExistsAsync("basic/config", blob.Digest, timeout.Token));
    }

    [RegistryFact(NeedsHtpasswd = true)]
    public async Task ManifestPutIsResentAfterChallenge()
    {
        using var timeout = Timeout();
        var options = WithCredentials(
            BasicAuthRegistryFixture.Username,
            BasicAuthRegistryFixture.Password
        );
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("resend", TestImageLayout.RandomBytes(100, seed: 42));
        using (var blobClient = new RegistryClient(registry.Name, options))
        {
            foreach (var path in Directory.GetFiles(Path.Combine(layout.Folder, "blobs", "sha256")))
            {
                await blobClient.UploadBlobAsync(
                    "basic/resend",
                    BlobSource.FromFile(path, "sha256:" + Path.GetFileName(path)),
                    null,
                    timeout.Token
                );
            }
        }

        // A fresh client sends the PUT with its body unauthenticated first, so the body must be
        // built again for the authenticated retry.
        using var client = new RegistryClient(registry.Name, options);
        var digest = await client.PutManifestAsync(
            "basic/resend",
            "v1",
            new RegistryManifest(manifest.MediaType, manifest.Digest, manifest.Content),
            timeout.Token
        );

        Assert.Equal(manifest.Digest, digest);
        var stored = await client.GetManifestAsync("basic/resend", "v1", timeout.Token);
        Assert.Equal(manifest.Content, stored.Content);
    }
}
