using System.Net;
using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class TokenAuthTests(TokenAuthRegistryFixture registry)
    : IClassFixture<TokenAuthRegistryFixture>
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(90));

    private static RegistryClientOptions WithCredentials(string username, string password) =>
        new() { Credentials = new StaticCredentialSource(new(username, password)) };

    private static RegistryClientOptions Valid =>
        WithCredentials(TokenAuthRegistryFixture.Username, TokenAuthRegistryFixture.Password);

    [RegistryFact]
    public async Task LayoutPushThroughTokenServerSucceeds()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Valid);
        using var layout = new TestImageLayout();
        var layer = TestImageLayout.RandomBytes(40_000, seed: 50);
        var manifest = layout.AddImage("token", layer);
        layout.WriteIndexJson((manifest, null));

        var result = await new OciLayoutPusher(client).PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/token/app:v1"),
            null,
            timeout.Token
        );

        Assert.Equal(manifest.Digest, result.Digest);
        var stored = await client.GetManifestAsync("token/app", "v1", timeout.Token);
        Assert.Equal(manifest.Content, stored.Content);
        var readBack = new MemoryStream();
        await client.CopyBlobToAsync(
            "token/app",
            TestImageLayout.Sha256(layer),
            readBack,
            timeout.Token
        );
        Assert.Equal(layer, readBack.ToArray());
        Assert.Contains(registry.TokenServer.Requests, request =>
            request.User == TokenAuthRegistryFixture.Username
            && request.Scopes.Contains("repository:token/app:pull,push")
        );
    }

    [RegistryFact]
    public async Task TokenIsCachedPerScope()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Valid);
        var digests = Enumerable
            .Range(0, 5)
            .Select(index => TestImageLayout.Sha256([(byte)index]))
            .ToList();

        foreach (var digest in digests)
        {
            await client.BlobExistsAsync("token/cache", digest, timeout.Token);
        }

        var afterPull = client.TokensFetched;
        await client.UploadBlobAsync(
            "token/cache",
            BlobSource.FromBytes([9, 9, 9]),
            null,
            timeout.Token
        );
        await client.UploadBlobAsync(
            "token/cache",
            BlobSource.FromBytes([8, 8, 8]),
            null,
            timeout.Token
        );

        // One token for pull, then one more for pull,push, each reused afterwards.
        Assert.Equal(1, afterPull);
        Assert.Equal(2, client.TokensFetched);
    }

    [RegistryFact]
    public async Task MountAsksTokenForSourceRepository()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Valid);
        var blob = BlobSource.FromBytes(TestImageLayout.RandomBytes(3000, seed: 51));
        await client.UploadBlobAsync("token/mount-source", blob, null, timeout.Token);

        var outcome = await client.MountBlobAsync(
            "token/mount-target",
            blob,
            "token/mount-source",
            null,
            timeout.Token
        );

        Assert.Equal(BlobPushOutcome.Mounted, outcome);
        Assert.Contains(registry.TokenServer.Requests, request =>
            request.Scopes.Contains("repository:token/mount-source:pull")
            && request.Scopes.Contains("repository:token/mount-target:pull,push")
        );
    }

    [RegistryFact]
    public async Task WrongPasswordReportsTokenServerRejection()
    {
        using var timeout = Timeout();
        const string wrongPassword = "Wrong-Token-Password-4d1f";
        using var client = new RegistryClient(
            registry.Name,
            WithCredentials(TokenAuthRegistryFixture.Username, wrongPassword)
        );

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.BlobExistsAsync("token/app", TestImageLayout.Sha256([1]), timeout.Token)
        );

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Equal("/token", exception.Path);
        Assert.Contains("UNAUTHORIZED: invalid credentials", exception.Message);
        Assert.Contains($"docker login {registry.Name}", exception.Message);
        Assert.DoesNotContain(wrongPassword, exception.ToString());
    }

    [RegistryFact]
    public async Task AnonymousClientIsRejectedByTokenServer()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(
            registry.Name,
            new RegistryClientOptions { Credentials = new StaticCredentialSource(null) }
        );
        var rejectedBefore = registry.TokenServer.Rejected;

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.GetManifestAsync("token/app", "v1", timeout.Token)
        );

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.True(registry.TokenServer.Rejected > rejectedBefore);
    }

    [RegistryFact]
    public async Task ChunkedUploadWithTokenReadsBack()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Valid with { ChunkSize = 64 * 1024 });
        var content = TestImageLayout.RandomBytes(300_000, seed: 52);
        var blob = BlobSource.FromBytes(content);

        await client.UploadBlobAsync("token/chunked", blob, null, timeout.Token);

        var readBack = new MemoryStream();
        await client.CopyBlobToAsync("token/chunked", blob.Digest, readBack, timeout.Token);
        Assert.Equal(content, readBack.ToArray());
    }

    [RegistryFact]
    public async Task ConcurrentChallengesShareOneToken()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Valid);

        await Task.WhenAll(
            Enumerable
                .Range(0, 6)
                .Select(index =>
                    client.BlobExistsAsync(
                        "token/concurrent",
                        TestImageLayout.Sha256([(byte)index]),
                        timeout.Token
                    )
                )
        );

        Assert.Equal(1, client.TokensFetched);
    }
}
