using System.Net;
using Harness.Backends.Local;
using Harness.Experiments;
using Harness.Images;
using Harness.Network;
using Harness.Node;
using Harness.Reporting;
using Harness.Workloads;
using Microsoft.Extensions.Logging;

namespace Harness.Runs;

public sealed partial class ExperimentRunner
{
    /// <summary>
    /// Builds each workload's image variants (cached by content, so unchanged workloads are not
    /// rebuilt) and pushes them to the node's registry, where blobs the registry already has
    /// are skipped. Returns each image by workload and variant, pinned by digest.
    /// </summary>
    private async Task<
        IReadOnlyDictionary<(string, ImageVariant), PreparedImage>
    > PrepareImagesAsync(
        string repositoryPrefix,
        Experiment experiment,
        CancellationToken cancellationToken
    )
    {
        var builder = WorkloadImageBuilder.Default;
        var progress = new Progress<string>(message => logger.LogInformation("{Step}", message));
        var imageLogger = loggers.CreateLogger("images");
        var prepared = new Dictionary<(string, ImageVariant), PreparedImage>();
        foreach (var workload in experiment.Workloads)
        {
            var definition = WorkloadCatalog.Default.Get(workload);
            logger.LogInformation(
                "Preparing the images of {Workload} ({Variants})",
                workload,
                string.Join(", ", experiment.Variants.Select(v => v.ToName()))
            );
            var images = await builder.BuildAsync(
                definition,
                experiment.Variants,
                progress,
                cancellationToken
            );
            await ImagePush.PushAsync(
                images,
                $"{repositoryPrefix}/{workload}",
                imageLogger,
                cancellationToken
            );
            foreach (var image in images)
            {
                var largest = image.Layers.MaxBy(layer => layer.Descriptor.Size)!;
                prepared[(workload, image.Variant)] = new PreparedImage(
                    workload,
                    image.Variant,
                    image.ManifestDigest,
                    image.CompressedLayerBytes,
                    largest.Descriptor.Digest
                );
            }
        }

        return prepared;
    }

    /// <summary>
    /// Brings the local node up, pushes the images to its registry and starts the link the
    /// node pulls through.
    /// </summary>
    private async Task<BackendSetup> SetUpLocalAsync(
        Experiment experiment,
        CancellationToken cancellationToken
    )
    {
        LocalNode.EnsureRoot("run");
        var node = new LocalNode(NodeLayout.FromEnvironment(), loggers.CreateLogger("node"));
        await node.UpAsync(cancellationToken);
        var images = await PrepareImagesAsync(
            node.Layout.RegistryAddress,
            experiment,
            cancellationToken
        );

        var registry = new IPEndPoint(IPAddress.Loopback, node.Layout.RegistryPort);
        var link = await RegistryLink.StartAsync(registry, experiment.Network, cancellationToken);
        try
        {
            var linkReport = await MeasureLinkAsync(link, images, cancellationToken);
            var backend = new LocalBackend(
                node,
                experiment.Timeouts,
                new RegistryLinkTraffic(link),
                loggers.CreateLogger("sample")
            );
            return new BackendSetup(
                backend,
                images,
                image => $"{link.Endpoint}/{image.Workload}@{image.ManifestDigest}",
                linkReport,
                link
            );
        }
        catch
        {
            await link.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Pushes the images to the repository the cluster pulls from and prepares the Knative
    /// backend (node setup through vHive's scripts when the experiment names a checkout).
    /// </summary>
    private async Task<BackendSetup> SetUpKnativeAsync(
        Experiment experiment,
        CancellationToken cancellationToken
    )
    {
        var repository = experiment.Knative?.ImageRepository
            ?? throw new HarnessException(
                "The knative backend needs \"knative\": { \"imageRepository\": ... } naming the "
                    + "registry and repository prefix the cluster pulls from, such as "
                    + "docker.io/<user>."
            );
        var images = await PrepareImagesAsync(repository, experiment, cancellationToken);
        var backend = new Backends.Knative.KnativeBackend(experiment, loggers);
        try
        {
            await backend.PrepareAsync(cancellationToken);
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }

        return new BackendSetup(
            backend,
            images,
            image => $"{repository}/{image.Workload}@{image.ManifestDigest}",
            link: null,
            resources: null
        );
    }

    /// <summary>
    /// Measures the link as applied: round trips with small registry requests and throughput
    /// with one download of the largest layer of the first image.
    /// </summary>
    private async Task<LinkReport> MeasureLinkAsync(
        RegistryLink link,
        IReadOnlyDictionary<(string, ImageVariant), PreparedImage> images,
        CancellationToken cancellationToken
    )
    {
        var probe = images.Values.First();
        var bulkPath = $"/v2/{probe.Workload}/blobs/{probe.LargestLayerDigest}";
        logger.LogInformation("Measuring the link between node and registry");
        var measured = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{link.Endpoint}"),
            bulkPath,
            cancellationToken
        );
        link.ResetCounters();
        logger.LogInformation(
            "Link {Applied}: measured round trip {Rtt:F1} ms (median {Median:F1} ms), "
                + "throughput {Throughput:F1} Mbit/s",
            link.Settings is null
                ? "unshaped"
                : $"set to {link.Settings.BandwidthMbit} Mbit/s, {link.Settings.RttMs} ms RTT",
            measured.RttMs,
            measured.MedianRttMs,
            measured.ThroughputMbit
        );
        return new LinkReport
        {
            Applied = link.Settings,
            Measured = new NetworkLink
            {
                BandwidthMbit = measured.ThroughputMbit ?? 0,
                RttMs = measured.RttMs,
            },
        };
    }
}
