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
    private async Task<IReadOnlyDictionary<(string, ImageVariant), PreparedImage>>
        PrepareImagesAsync(LocalNode node, Experiment experiment, CancellationToken cancellationToken)
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
                workload, string.Join(", ", experiment.Variants.Select(v => v.ToName())));
            var images = await builder.BuildAsync(
                definition, experiment.Variants, progress, cancellationToken);
            await ImagePush.PushAsync(
                images, $"{node.Layout.RegistryAddress}/{workload}", imageLogger, cancellationToken);
            foreach (var image in images)
            {
                var largest = image.Layers.MaxBy(layer => layer.Descriptor.Size)!;
                prepared[(workload, image.Variant)] = new PreparedImage(
                    workload, image.Variant, image.ManifestDigest, image.CompressedLayerBytes,
                    largest.Descriptor.Digest);
            }
        }

        return prepared;
    }

    /// <summary>
    /// Measures the link as applied: round trips with small registry requests and throughput
    /// with one download of the largest layer of the first image.
    /// </summary>
    private async Task<LinkReport> MeasureLinkAsync(
        RegistryLink link,
        IReadOnlyDictionary<(string, ImageVariant), PreparedImage> images,
        CancellationToken cancellationToken)
    {
        var probe = images.Values.First();
        var bulkPath = $"/v2/{probe.Workload}/blobs/{probe.LargestLayerDigest}";
        logger.LogInformation("Measuring the link between node and registry");
        var measured = await LinkMeasurement.MeasureAsync(
            new Uri($"http://{link.Endpoint}"), bulkPath, cancellationToken);
        link.ResetCounters();
        logger.LogInformation(
            "Link {Applied}: measured round trip {Rtt:F1} ms, throughput {Throughput:F1} Mbit/s",
            link.Settings is null ? "unshaped"
                : $"set to {link.Settings.BandwidthMbit} Mbit/s, {link.Settings.RttMs} ms RTT",
            measured.RttMs, measured.ThroughputMbit);
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
