using System.Security.Cryptography;
using System.Text;
using Harness.EStargz;
using Harness.Images;
using Harness.Native;
using Harness.Node;
using Harness.Registry;
using Harness.Tests.Node;
using Harness.Workloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Tests.Conformance;

/// <summary>
/// A node of its own with the three variants of <see cref="ConformanceTree"/> in its registry:
/// gzip layers (<c>overlayfs</c>) and eStargz layers from our writer, without and with
/// prioritized files.
/// </summary>
public sealed class ConformanceNodeFixture : IAsyncLifetime
{
    public const int RegistryPort = 15020;
    private const string Repository = "conformance/tree";

    private readonly Dictionary<ImageVariant, ConformanceImage> images = [];
    private string workFolder = "";

    internal LocalNode Node { get; } =
        new(TestNodes.Layout("conformance", RegistryPort), NullLogger.Instance);

    internal ConformanceImage Image(ImageVariant variant) => images[variant];

    public async Task InitializeAsync()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await Node.UpAsync(timeout.Token);
        workFolder = Directory.CreateTempSubdirectory("harness-conformance-").FullName;
        var tars = new List<LayerTar>();
        for (var index = 0; index < ConformanceTree.Layers.Count; index++)
        {
            tars.Add(await WriteLayerTarAsync(index, timeout.Token));
        }

        using var client = new RegistryClient(Node.Layout.RegistryAddress);
        var pusher = new OciLayoutPusher(client);
        foreach (var variant in Enum.GetValues<ImageVariant>())
        {
            images[variant] = await BuildAndPushAsync(variant, tars, pusher, timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        await Node.DownAsync(CancellationToken.None);
        if (Directory.Exists(workFolder))
        {
            Directory.Delete(workFolder, recursive: true);
        }
    }

    private async Task<LayerTar> WriteLayerTarAsync(int index, CancellationToken cancellationToken)
    {
        var bytes = ConformanceTree.WriteTar(index);
        var path = Path.Combine(workFolder, $"layer-{index}.tar");
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        var names = ConformanceTree.Layers[index].Select(entry => entry.Path).ToList();
        return new LayerTar(path, Digest(bytes), bytes.Length, names, $"conformance layer {index}");
    }

    private async Task<ConformanceImage> BuildAndPushAsync(
        ImageVariant variant,
        IReadOnlyList<LayerTar> tars,
        OciLayoutPusher pusher,
        CancellationToken cancellationToken
    )
    {
        var name = variant.ToName();
        var options = new EStargzWriterOptions
        {
            ChunkSize = ConformanceTree.ChunkSize,
            PrioritizedFiles =
                variant == ImageVariant.EStargz ? ConformanceTree.PrioritizedFiles : null,
        };
        var layers = new List<BuiltLayer>();
        for (var index = 0; index < tars.Count; index++)
        {
            var blobPath = Path.Combine(workFolder, $"{name}-{index}.blob");
            layers.Add(
                variant == ImageVariant.Overlayfs
                    ? await LayerCompressor.GzipAsync(tars[index], blobPath, 6, cancellationToken)
                    : await LayerCompressor.ConvertToEStargzAsync(
                        tars[index],
                        blobPath,
                        options,
                        cancellationToken
                    )
            );
        }

        var reference = ImageReference.Parse($"{Node.Layout.RegistryAddress}/{Repository}:{name}");
        var workload = new WorkloadManifest
        {
            Name = "conformance",
            Entrypoint = ["/app/run"],
            Port = 18098,
        };
        var layout = await OciImageWriter.WriteAsync(
            Path.Combine(workFolder, name),
            layers,
            workload,
            reference.ToString(),
            cancellationToken
        );
        await pusher.PushAsync(layout.LayoutPath, reference, progress: null, cancellationToken);
        return new ConformanceImage(
            variant,
            reference.ToString(),
            ChainId(layers.Select(layer => layer.DiffId)),
            layers.Count
        );
    }

    /// <summary>
    /// Computes the chain ID of the top layer (image-spec config.md, "Layer ChainID"): the
    /// first layer's is its diff ID, each next one is the SHA-256 of "PARENT DIFFID".
    /// </summary>
    private static string ChainId(IEnumerable<string> diffIds)
    {
        string? chain = null;
        foreach (var diffId in diffIds)
        {
            chain = chain is null ? diffId : Digest(Encoding.UTF8.GetBytes($"{chain} {diffId}"));
        }

        return chain ?? throw new InvalidOperationException("An image needs at least one layer.");
    }

    private static string Digest(byte[] bytes) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
