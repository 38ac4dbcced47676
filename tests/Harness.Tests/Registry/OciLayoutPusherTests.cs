using System.Collections.Concurrent;
using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class OciLayoutPusherTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly RegistryClientOptions Anonymous = new()
    {
        Credentials = new StaticCredentialSource(null),
    };

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(90));

    [RegistryFact]
    public async Task PushStoresManifestAndEveryBlob()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var layers = new[]
        {
            TestImageLayout.RandomBytes(70_000, seed: 20),
            TestImageLayout.RandomBytes(1234, seed: 21),
        };
        var manifest = layout.AddImage("push", layers);
        layout.WriteIndexJson((manifest, "v1"));
        var target = ImageReference.Parse($"{registry.Name}/push/basic:v1");
        // Blobs are pushed in parallel, so reports arrive from several threads at once.
        var reports = new ConcurrentQueue<PushProgress>();

        var result = await new OciLayoutPusher(client).PushAsync(
            layout.Folder,
            target,
            new SynchronousProgress<PushProgress>(reports.Enqueue),
            timeout.Token
        );

        Assert.Equal(manifest.Digest, result.Digest);
        Assert.Equal(target.WithDigest(manifest.Digest), result.Reference);
        Assert.Equal(3, result.BlobsUploaded);
        Assert.Equal(0, result.BlobsExisting);
        var stored = await client.GetManifestAsync("push/basic", "v1", timeout.Token);
        Assert.Equal(manifest.Content, stored.Content);
        foreach (var layer in layers)
        {
            var readBack = new MemoryStream();
            await client.CopyBlobToAsync(
                "push/basic",
                TestImageLayout.Sha256(layer),
                readBack,
                timeout.Token
            );
            Assert.Equal(layer, readBack.ToArray());
        }

        Assert.Contains(reports, report =>
            report.Stage == PushStage.Uploaded
            && report.Digest == TestImageLayout.Sha256(layers[0])
            && report.BytesSent == 70_000
        );
        Assert.Equal(PushStage.ManifestPushed, reports.Last().Stage);
    }

    [RegistryFact]
    public async Task SecondPushFindsEveryBlobPresent()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("again", TestImageLayout.RandomBytes(500, seed: 22));
        layout.WriteIndexJson((manifest, null));
        var target = ImageReference.Parse($"{registry.Name}/push/again:v1");
        var pusher = new OciLayoutPusher(client);
        await pusher.PushAsync(layout.Folder, target, null, timeout.Token);

        var second = await pusher.PushAsync(layout.Folder, target, null, timeout.Token);

        Assert.Equal(2, second.BlobsExisting);
        Assert.Equal(0, second.BlobsUploaded);
        Assert.Equal(0, second.BytesUploaded);
    }

    [RegistryFact]
    public async Task PushToAnotherRepositoryMountsKnownBlobs()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("mount", TestImageLayout.RandomBytes(2000, seed: 23));
        layout.WriteIndexJson((manifest, null));
        var pusher = new OciLayoutPusher(client);
        await pusher.PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/mount-a:v1"),
            null,
            timeout.Token
        );
        var reports = new ConcurrentQueue<PushProgress>();

        var result = await pusher.PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/mount-b:v1"),
            new SynchronousProgress<PushProgress>(reports.Enqueue),
            timeout.Token
        );

        Assert.Equal(2, result.BlobsMounted);
        Assert.Equal(0, result.BlobsUploaded);
        Assert.Equal(2, reports.Count(report => report.Stage == PushStage.Mounted));
        var stored = await client.GetManifestAsync("push/mount-b", "v1", timeout.Token);
        Assert.Equal(manifest.Digest, stored.Digest);
    }

    [RegistryFact]
    public async Task MountSourcesOptionMountsFromNamedRepository()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("sources", TestImageLayout.RandomBytes(2000, seed: 24));
        layout.WriteIndexJson((manifest, null));
        await new OciLayoutPusher(client).PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/base:v1"),
            null,
            timeout.Token
        );
        var freshPusher = new OciLayoutPusher(
            client,
            new OciLayoutPushOptions { MountSources = ["push/base"] }
        );

        var result = await freshPusher.PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/derived:v1"),
            null,
            timeout.Token
        );

        Assert.Equal(2, result.BlobsMounted);
    }

    [RegistryFact]
    public async Task LargeLayerGoesUpInChunks()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(
            registry.Name,
            Anonymous with
            {
                ChunkSize = 200_000,
            }
        );
        using var layout = new TestImageLayout();
        var layer = TestImageLayout.RandomBytes(3 * 1024 * 1024 + 17, seed: 25);
        var manifest = layout.AddImage("large", layer);
        layout.WriteIndexJson((manifest, null));
        var reports = new ConcurrentQueue<PushProgress>();

        var result = await new OciLayoutPusher(client).PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/large:v1"),
            new SynchronousProgress<PushProgress>(reports.Enqueue),
            timeout.Token
        );

        var readBack = new MemoryStream();
        await client.CopyBlobToAsync(
            "push/large",
            TestImageLayout.Sha256(layer),
            readBack,
            timeout.Token
        );
        Assert.Equal(layer, readBack.ToArray());

        // Uploads send 128 KiB buffers, so a report at 200 000 bytes marks a chunk boundary.
        Assert.Contains(reports, report =>
            report.Stage == PushStage.Uploading && report.BytesSent == 200_000
        );
        Assert.True(result.BytesUploaded > layer.Length);
    }

    [RegistryFact]
    public async Task IndexLayoutPushesChildManifestsAndSharedBlobOnce()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var shared = TestImageLayout.RandomBytes(4000, seed: 26);
        var first = layout.AddImage("amd64", shared);
        var second = layout.AddImage("arm64", shared, TestImageLayout.RandomBytes(10, seed: 27));
        var index = layout.AddIndex(first, second);
        layout.WriteIndexJson((index, "multi"));

        var result = await new OciLayoutPusher(client).PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/index:multi"),
            null,
            timeout.Token
        );

        // Two configs, the shared layer and the extra layer: four distinct blobs.
        Assert.Equal(4, result.BlobsUploaded);
        Assert.Equal(index.Digest, result.Digest);
        Assert.Equal(TestImageLayout.OciIndexType, result.MediaType);
        var child = await client.GetManifestAsync("push/index", second.Digest, timeout.Token);
        Assert.Equal(second.Content, child.Content);
        var top = await client.GetManifestAsync("push/index", "multi", timeout.Token);
        Assert.Equal(index.Content, top.Content);
    }

    [RegistryFact]
    public async Task LayoutWithSeveralManifestsPicksOneByRefName()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var first = layout.AddImage("one", TestImageLayout.RandomBytes(10, seed: 28));
        var second = layout.AddImage("two", TestImageLayout.RandomBytes(10, seed: 29));
        layout.WriteIndexJson((first, "one"), (second, "two"));
        var pusher = new OciLayoutPusher(client);

        var result = await pusher.PushAsync(
            layout.Folder,
            ImageReference.Parse($"{registry.Name}/push/named:two"),
            null,
            timeout.Token
        );
        var unmatched = await Assert.ThrowsAsync<HarnessException>(() =>
            pusher.PushAsync(
                layout.Folder,
                ImageReference.Parse($"{registry.Name}/push/named:three"),
                null,
                timeout.Token
            )
        );

        Assert.Equal(second.Digest, result.Digest);
        Assert.Contains("(one, two)", unmatched.Message);
    }

    [RegistryFact]
    public async Task MissingBlobStopsPushBeforeManifest()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient(registry.Name, Anonymous);
        using var layout = new TestImageLayout();
        var layer = TestImageLayout.RandomBytes(10, seed: 30);
        var manifest = layout.AddImage("broken", layer);
        layout.WriteIndexJson((manifest, null));
        File.Delete(layout.BlobPath(TestImageLayout.Sha256(layer)));

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            new OciLayoutPusher(client).PushAsync(
                layout.Folder,
                ImageReference.Parse($"{registry.Name}/push/broken:v1"),
                null,
                timeout.Token
            )
        );

        Assert.Contains(TestImageLayout.Sha256(layer), exception.Message);
        Assert.Contains("missing from the OCI image layout", exception.Message);
        Assert.False(await client.ManifestExistsAsync("push/broken", "v1", timeout.Token));
    }

    [Fact]
    public async Task FolderWithoutOciLayoutFileIsRejected()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient("127.0.0.1:15199", Anonymous);
        var folder = Directory.CreateTempSubdirectory("harness-not-a-layout-").FullName;
        try
        {
            var exception = await Assert.ThrowsAsync<HarnessException>(() =>
                new OciLayoutPusher(client).PushAsync(
                    folder,
                    ImageReference.Parse("127.0.0.1:15199/app:v1"),
                    null,
                    timeout.Token
                )
            );

            Assert.Contains("has no oci-layout file", exception.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TargetOnAnotherRegistryIsRejected()
    {
        using var timeout = Timeout();
        using var client = new RegistryClient("127.0.0.1:15199", Anonymous);

        var exception = await Assert.ThrowsAsync<HarnessException>(() =>
            new OciLayoutPusher(client).PushAsync(
                "/nonexistent",
                ImageReference.Parse("127.0.0.1:15198/app:v1"),
                null,
                timeout.Token
            )
        );

        Assert.Contains("client for registry 127.0.0.1:15199", exception.Message);
    }
}
