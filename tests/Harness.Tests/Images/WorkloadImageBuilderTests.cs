using System.Text.Json;
using Harness.Images;
using Harness.Workloads;
using Xunit;

namespace Harness.Tests.Images;

/// <summary>Builds nodejs-hello for real in the harness cache, as <c>harness image build</c>
/// does. The first run takes minutes, and later runs reuse the cache.</summary>
public sealed class WorkloadImageBuilderTests
{
    private static readonly ImageVariant[] AllVariants =
    [
        ImageVariant.Overlayfs,
        ImageVariant.EStargzNoopt,
        ImageVariant.EStargz,
    ];

    [DebootstrapFact]
    public async Task NodejsHelloRebuildsFromCache()
    {
        var builder = WorkloadImageBuilder.Default;
        var workload = WorkloadCatalog.Default.Get("nodejs-hello");

        var first = await builder.BuildAsync(workload, AllVariants, null, CancellationToken.None);
        var recordTimes = first
            .Select(image => File.GetLastWriteTimeUtc(image.LayoutPath + ".build.json"))
            .ToList();
        var second = await builder.BuildAsync(workload, AllVariants, null, CancellationToken.None);

        Assert.Equal(AllVariants, first.Select(image => image.Variant));
        Assert.Equal(
            first.Select(image => image.ManifestDigest),
            second.Select(image => image.ManifestDigest)
        );
        Assert.Equal(
            recordTimes,
            second.Select(image => File.GetLastWriteTimeUtc(image.LayoutPath + ".build.json"))
        );
        foreach (var image in first)
        {
            Assert.Equal(3, image.Layers.Count);
            Assert.True(File.Exists(Path.Combine(image.LayoutPath, "oci-layout")));
        }

        // The optimized variant prefetches from every layer: the C library from the base,
        // node from the runtime packages, server.js from the application. noopt has none.
        Assert.All(first[2].Layers, layer => Assert.True(layer.PrioritizedFileCount > 0));
        Assert.All(first[1].Layers, layer => Assert.Equal(0, layer.PrioritizedFileCount));

        // All variants carry the same files, so the gzip and eStargz layers list the same
        // number of source entries.
        Assert.Equal(
            first[0].Layers.Select(layer => layer.EntryCount),
            first[2].Layers.Select(layer => layer.EntryCount)
        );
    }

    [DebootstrapFact]
    public async Task BaseLayerTarIsReproducible()
    {
        var workload = WorkloadCatalog.Default.Get("nodejs-hello");
        var image = (
            await WorkloadImageBuilder.Default.BuildAsync(
                workload,
                [ImageVariant.Overlayfs],
                null,
                CancellationToken.None
            )
        ).Single();
        var baseRoot = await new RootFilesystemCache(HarnessPaths.CacheRoot, null).GetBaseRootAsync(
            workload.Build.Base,
            CancellationToken.None
        );
        using var work = new TemporaryTree("harness-reproduce-");

        var entries = FileTreeScanner
            .Scan(baseRoot, CancellationToken.None)
            .Select(LayerEntry.FromTree)
            .ToList();
        var first = await LayerTar.WriteAsync(
            work.PathOf("first.tar"),
            entries,
            "",
            CancellationToken.None
        );
        var second = await LayerTar.WriteAsync(
            work.PathOf("second.tar"),
            entries,
            "",
            CancellationToken.None
        );

        Assert.Equal(first.DiffId, second.DiffId);
        Assert.Equal(image.Layers[0].DiffId, first.DiffId);
        Assert.Contains("etc/passwd", first.EntryNames);
        Assert.DoesNotContain(first.EntryNames, name =>
            name.StartsWith("var/lib/apt/lists/", StringComparison.Ordinal)
        );
        Assert.DoesNotContain("etc/resolv.conf", first.EntryNames);
    }
}
