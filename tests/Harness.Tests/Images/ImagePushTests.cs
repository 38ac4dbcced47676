using Harness.Images;
using Harness.Tests.Registry;
using Harness.Workloads;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harness.Tests.Images;

public sealed class ImagePushTests : IClassFixture<RegistryFixture>, IDisposable
{
    private static readonly WorkloadManifest Manifest = new()
    {
        Name = "sample",
        Entrypoint = ["/app/server.js"],
        Port = 18099,
    };

    private readonly RegistryFixture _registry;
    private readonly TemporaryTree _work = new("harness-push-test-");

    public ImagePushTests(RegistryFixture registry)
    {
        _registry = registry;
    }

    public void Dispose() => _work.Dispose();

    [RegistryFact]
    public async Task VariantsArePushedAsTags()
    {
        var images = new List<WorkloadImage>
        {
            await BuildAsync(ImageVariant.Overlayfs),
            await BuildAsync(ImageVariant.EStargzNoopt),
        };

        var results = await ImagePush.PushAsync(
            images,
            $"{_registry.Name}/sample",
            NullLogger.Instance,
            CancellationToken.None
        );

        Assert.Equal(2, results.Count);
        Assert.Equal("overlayfs", results[0].Reference.Tag);
        Assert.Equal("estargz-noopt", results[1].Reference.Tag);
        Assert.Equal(images[0].ManifestDigest, results[0].Digest);
        Assert.Equal(images[1].ManifestDigest, results[1].Digest);
        Assert.Equal(3, results[0].BlobsUploaded);
    }

    [Fact]
    public async Task TaggedTargetIsRejected()
    {
        var error = await Assert.ThrowsAsync<HarnessException>(() =>
            ImagePush.PushAsync(
                [],
                "127.0.0.1:5000/sample:latest",
                NullLogger.Instance,
                CancellationToken.None
            )
        );

        Assert.Contains("expects a repository without tag or digest", error.Message);
    }

    private async Task<WorkloadImage> BuildAsync(ImageVariant variant)
    {
        var written = await SampleImageLayout.WriteAsync(
            _work.PathOf(variant.ToName()),
            Manifest,
            variant != ImageVariant.Overlayfs
        );
        var layers = written
            .Layers.Select(layer => new ImageLayerSummary(layer, "", 0, 0, 0, ""))
            .ToList();
        return new WorkloadImage(
            Manifest.Name,
            variant,
            written.LayoutPath,
            written.Manifest,
            layers,
            ""
        );
    }
}
