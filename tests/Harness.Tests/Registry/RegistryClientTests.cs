using System.Net;
using System.Text;
using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class RegistryClientTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly RegistryClientOptions Anonymous = new()
    {
        Credentials = new StaticCredentialSource(null),
    };

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    [RegistryFact]
    public async Task BlobExistsIsFalseForUnknownBlob()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        var digest = TestImageLayout.Sha256(Encoding.UTF8.GetBytes("never uploaded"));

        Assert.False(await client.BlobExistsAsync("exists/unknown", digest, timeout.Token));
    }

    [RegistryFact]
    public async Task MonolithicUploadReadsBackSameBytes()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        var content = TestImageLayout.RandomBytes(300_001, seed: 1);
        var blob = BlobSource.FromBytes(content);
        var reports = new List<long>();

        await client.UploadBlobMonolithicAsync(
            "upload/monolithic",
            blob,
            new SynchronousProgress<long>(reports.Add),
            timeout.Token
        );

        Assert.True(await client.BlobExistsAsync("upload/monolithic", blob.Digest, timeout.Token));
        var readBack = new MemoryStream();
        var size = await client.CopyBlobToAsync(
            "upload/monolithic",
            TestImageLayout.Sha256(content),
            readBack,
            timeout.Token
        );
        Assert.Equal(content.Length, size);
        Assert.Equal(content, readBack.ToArray());
        Assert.Equal(content.Length, reports[^1]);
    }

    [RegistryFact]
    public async Task ChunkedUploadReadsBackSameBytes()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);

        // 2.5 MiB in 1 MiB chunks: two full PATCH requests and a half one.
        var content = TestImageLayout.RandomBytes(5 * 512 * 1024, seed: 2);
        var blob = BlobSource.FromBytes(content);
        var reports = new List<long>();

        await client.UploadBlobChunkedAsync(
            "upload/chunked",
            blob,
            1024 * 1024,
            new SynchronousProgress<long>(reports.Add),
            timeout.Token
        );

        var readBack = new MemoryStream();
        await client.CopyBlobToAsync(
            "upload/chunked",
            TestImageLayout.Sha256(content),
            readBack,
            timeout.Token
        );
        Assert.Equal(content, readBack.ToArray());
        Assert.Contains(1024L * 1024, reports);
        Assert.Contains(2L * 1024 * 1024, reports);
        Assert.Equal(content.Length, reports[^1]);
    }

    [RegistryFact]
    public async Task UploadBlobSwitchesToChunksAboveChunkSize()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(
            registry.Name,
            Anonymous with
            {
                ChunkSize = 64 * 1024,
            }
        );
        var content = TestImageLayout.RandomBytes(200_000, seed: 3);
        var blob = BlobSource.FromBytes(content);
        var reports = new List<long>();

        await client.UploadBlobAsync(
            "upload/auto",
            blob,
            new SynchronousProgress<long>(reports.Add),
            timeout.Token
        );

        var readBack = new MemoryStream();
        await client.CopyBlobToAsync("upload/auto", blob.Digest, readBack, timeout.Token);
        Assert.Equal(content, readBack.ToArray());

        // Chunk boundaries at 64 KiB multiples show that PATCH requests carried the bytes.
        Assert.Contains(65_536L, reports);
        Assert.Contains(131_072L, reports);
    }

    [RegistryFact]
    public async Task UploadFromFileStreamsFromDisk()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(
            registry.Name,
            Anonymous with
            {
                ChunkSize = 256 * 1024,
            }
        );
        var content = TestImageLayout.RandomBytes(1_000_000, seed: 4);
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, content, timeout.Token);
            var blob = BlobSource.FromFile(path, TestImageLayout.Sha256(content));

            await client.UploadBlobAsync("upload/file", blob, null, timeout.Token);

            var readBack = new MemoryStream();
            await client.CopyBlobToAsync("upload/file", blob.Digest, readBack, timeout.Token);
            Assert.Equal(content, readBack.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RegistryFact]
    public async Task UploadWithWrongDigestReportsDigestInvalid()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        var content = Encoding.UTF8.GetBytes("content whose digest is misstated");
        var wrongDigest = TestImageLayout.Sha256(Encoding.UTF8.GetBytes("other content"));
        var blob = new BlobSource(wrongDigest, content.Length, () => new MemoryStream(content));

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.UploadBlobMonolithicAsync("upload/wrong", blob, null, timeout.Token)
        );

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.True(exception.HasErrorCode("DIGEST_INVALID"));
        Assert.Contains("DIGEST_INVALID", exception.Message);
        Assert.Equal("PUT", exception.Method);
        Assert.StartsWith("/v2/upload/wrong/blobs/uploads/", exception.Path);
    }

    [RegistryFact]
    public async Task MountFromRepositoryWithBlobLinksIt()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        var blob = BlobSource.FromBytes(TestImageLayout.RandomBytes(10_000, seed: 5));
        await client.UploadBlobMonolithicAsync("mount/source", blob, null, timeout.Token);

        var outcome = await client.MountBlobAsync(
            "mount/target",
            blob,
            "mount/source",
            null,
            timeout.Token
        );

        Assert.Equal(BlobPushOutcome.Mounted, outcome);
        Assert.True(await client.BlobExistsAsync("mount/target", blob.Digest, timeout.Token));
    }

    [RegistryFact]
    public async Task MountFromRepositoryWithoutBlobFallsBackToUpload()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        var content = TestImageLayout.RandomBytes(10_000, seed: 6);
        var blob = BlobSource.FromBytes(content);

        var outcome = await client.MountBlobAsync(
            "mount/fallback",
            blob,
            "mount/empty-source",
            null,
            timeout.Token
        );

        Assert.Equal(BlobPushOutcome.Uploaded, outcome);
        var readBack = new MemoryStream();
        await client.CopyBlobToAsync("mount/fallback", blob.Digest, readBack, timeout.Token);
        Assert.Equal(content, readBack.ToArray());
    }

    [RegistryFact]
    public async Task ManifestPutThenGetReturnsSameBytesAndDigest()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("round-trip", TestImageLayout.RandomBytes(5000, seed: 7));
        await UploadReferencedBlobsAsync(client, "manifest/round-trip", layout, timeout.Token);

        var digest = await client.PutManifestAsync(
            "manifest/round-trip",
            "v1",
            new RegistryManifest(manifest.MediaType, manifest.Digest, manifest.Content),
            timeout.Token
        );
        var byTag = await client.GetManifestAsync("manifest/round-trip", "v1", timeout.Token);
        var byDigest = await client.GetManifestAsync(
            "manifest/round-trip",
            manifest.Digest,
            timeout.Token
        );

        Assert.Equal(manifest.Digest, digest);
        Assert.Equal(manifest.Content, byTag.Content);
        Assert.Equal(manifest.Digest, byTag.Digest);
        Assert.Equal(TestImageLayout.OciManifestType, byTag.MediaType);
        Assert.Equal(manifest.Content, byDigest.Content);
        Assert.True(await client.ManifestExistsAsync("manifest/round-trip", "v1", timeout.Token));
        Assert.False(await client.ManifestExistsAsync("manifest/round-trip", "v2", timeout.Token));
    }

    [RegistryFact]
    public async Task DockerManifestKeepsItsMediaType()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        var config = BlobSource.FromBytes(
            Encoding.UTF8.GetBytes(
                """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""
            )
        );
        await client.UploadBlobAsync("manifest/docker", config, null, timeout.Token);
        const string dockerType = "application/vnd.docker.distribution.manifest.v2+json";
        var content = Encoding.UTF8.GetBytes(
            $$"""
            {"schemaVersion":2,"mediaType":"{{dockerType}}",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json",
                       "size":{{config.Size}},"digest":"{{config.Digest}}"},
             "layers":[]}
            """
        );

        var digest = await client.PutManifestAsync(
            "manifest/docker",
            "latest",
            RegistryManifest.FromBytes(dockerType, content),
            timeout.Token
        );
        var fetched = await client.GetManifestAsync("manifest/docker", "latest", timeout.Token);

        Assert.Equal(TestImageLayout.Sha256(content), digest);
        Assert.Equal(dockerType, fetched.MediaType);
        Assert.Equal(content, fetched.Content);
    }

    [RegistryFact]
    public async Task ImageIndexRoundTripsWithItsManifests()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var first = layout.AddImage("amd64", TestImageLayout.RandomBytes(100, seed: 8));
        var second = layout.AddImage("arm64", TestImageLayout.RandomBytes(100, seed: 9));
        var index = layout.AddIndex(first, second);
        await UploadReferencedBlobsAsync(client, "manifest/index", layout, timeout.Token);
        foreach (var manifest in new[] { first, second })
        {
            await client.PutManifestAsync(
                "manifest/index",
                manifest.Digest,
                new RegistryManifest(manifest.MediaType, manifest.Digest, manifest.Content),
                timeout.Token
            );
        }

        var digest = await client.PutManifestAsync(
            "manifest/index",
            "multi",
            new RegistryManifest(index.MediaType, index.Digest, index.Content),
            timeout.Token
        );
        var fetched = await client.GetManifestAsync("manifest/index", "multi", timeout.Token);

        Assert.Equal(index.Digest, digest);
        Assert.Equal(TestImageLayout.OciIndexType, fetched.MediaType);
        Assert.Equal(index.Content, fetched.Content);
    }

    [RegistryFact]
    public async Task ManifestWithMissingBlobReportsManifestBlobUnknown()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("missing", TestImageLayout.RandomBytes(100, seed: 10));

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PutManifestAsync(
                "manifest/missing",
                "v1",
                new RegistryManifest(manifest.MediaType, manifest.Digest, manifest.Content),
                timeout.Token
            )
        );

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.True(exception.HasErrorCode("MANIFEST_BLOB_UNKNOWN"));
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", exception.Message);
        Assert.Contains("put manifest manifest/missing:v1", exception.Message);
        Assert.Contains("PUT /v2/manifest/missing/manifests/v1", exception.Message);
        Assert.Contains("push every blob the manifest references", exception.Message);
    }

    [RegistryFact]
    public async Task UnknownManifestReportsManifestUnknown()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.GetManifestAsync("manifest/none", "nothing", timeout.Token)
        );

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains("MANIFEST_UNKNOWN", exception.Message);
        Assert.Contains("check the repository name, tag and digest", exception.Message);
    }

    [RegistryFact]
    public async Task StoppedRegistryReportsItIsNotReachable()
    {
        using var timeout = Timeout();

        // A fresh port that nothing listens on stands for a registry that is not running.
        var port = RegistryTestPorts.Reserve();
        using var client = new RegistryClient($"127.0.0.1:{port}", Anonymous);

        var exception = await Assert.ThrowsAsync<RegistryException>(() =>
            client.BlobExistsAsync("app", TestImageLayout.Sha256([1]), timeout.Token)
        );

        Assert.Null(exception.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", exception.Message);
        Assert.Contains("running and reachable", exception.Message);
    }

    private static async Task UploadReferencedBlobsAsync(
        RegistryClient client,
        string repository,
        TestImageLayout layout,
        CancellationToken cancellationToken
    )
    {
        // Every blob in the layout except manifests, which go up with PutManifestAsync.
        foreach (var path in Directory.GetFiles(Path.Combine(layout.Folder, "blobs", "sha256")))
        {
            var digest = "sha256:" + Path.GetFileName(path);
            await client.UploadBlobAsync(
                repository,
                BlobSource.FromFile(path, digest),
                null,
                cancellationToken
            );
        }
    }
}
