using System.CommandLine;
using System.Diagnostics;
using Harness.Images;
using Harness.Registry;
using Harness.Workloads;
using Microsoft.Extensions.Logging;

namespace Harness.Commands;

/// <summary>The <c>image</c> verbs: build a workload's paired images and push them.</summary>
internal static class ImageCommands
{
    public static Command Create()
    {
        var command = new Command(
            "image",
            "Build a workload's paired images (gzip for overlayfs, eStargz) and push them."
        );
        command.Subcommands.Add(CreateBuild());
        return command;
    }

    private static Command CreateBuild()
    {
        var workload = new Argument<string>("WORKLOAD")
        {
            Description = "Name of a folder under src/Workloads that contains a workload.json.",
        };
        var variants = new Option<string>("--variants")
        {
            Description =
                "Comma-separated variants to build: "
                + string.Join(", ", ImageVariantNames.All)
                + ".",
            DefaultValueFactory = _ => string.Join(',', ImageVariantNames.All),
        };
        var push = new Option<string?>("--push")
        {
            Description =
                "Registry repository to push to, such as 127.0.0.1:5000/nodejs-hello; "
                + "each variant is pushed with its name as the tag (REF:overlayfs, ...).",
        };

        var command = new Command(
            "build",
            "Build the OCI image layouts of a workload under the cache folder and print their "
                + "digests and sizes."
        );
        command.Arguments.Add(workload);
        command.Options.Add(variants);
        command.Options.Add(push);
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                var selected = ParseVariants(parseResult.GetValue(variants)!);
                var definition = WorkloadCatalog.Default.Get(parseResult.GetValue(workload)!);
                using var loggers = CommandLine.CreateLoggerFactory(parseResult);
                var logger = loggers.CreateLogger("image");
                var progress = new SynchronousProgress<string>(message =>
                    logger.LogInformation("{Message}", message)
                );

                var started = Stopwatch.StartNew();
                var images = await WorkloadImageBuilder.Default.BuildAsync(
                    definition,
                    selected,
                    progress,
                    cancellationToken
                );
                logger.LogInformation(
                    "Built {Count} variant(s) of {Workload} in {Seconds:F1} s",
                    images.Count,
                    definition.Manifest.Name,
                    started.Elapsed.TotalSeconds
                );
                PrintSummary(images);

                var reference = parseResult.GetValue(push);
                if (reference is not null)
                {
                    var pushed = await ImagePush.PushAsync(
                        images,
                        reference,
                        logger,
                        cancellationToken
                    );
                    foreach (var result in pushed)
                    {
                        Console.WriteLine($"pushed {result.Reference}");
                    }
                }

                return ExitCodes.Success;
            }
        );
        return command;
    }

    private static IReadOnlyList<ImageVariant> ParseVariants(string text)
    {
        var variants = new List<ImageVariant>();
        foreach (
            var name in text.Split(
                ',',
                StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries
            )
        )
        {
            if (!ImageVariantNames.TryParse(name, out var variant))
            {
                throw new HarnessException(
                    $"--variants contains \"{name}\", which is not a variant; expected a "
                        + $"comma-separated list of {string.Join(", ", ImageVariantNames.All)}."
                );
            }

            if (!variants.Contains(variant))
            {
                variants.Add(variant);
            }
        }

        if (variants.Count == 0)
        {
            throw new HarnessException(
                $"--variants is empty; expected one or more of "
                    + $"{string.Join(", ", ImageVariantNames.All)}."
            );
        }

        return variants;
    }

    private static void PrintSummary(IReadOnlyList<WorkloadImage> images)
    {
        foreach (var image in images)
        {
            Console.WriteLine(
                $"{image.Workload} {image.Variant.ToName()}: manifest {image.ManifestDigest}, "
                    + $"{image.Layers.Count} layers, {Megabytes(image.CompressedLayerBytes)} "
                    + $"compressed, {Megabytes(image.UncompressedLayerBytes)} uncompressed"
            );
            Console.WriteLine($"  layout {image.LayoutPath}");
            foreach (var layer in image.Layers)
            {
                var prioritized =
                    layer.PrioritizedFileCount > 0
                        ? $", {layer.PrioritizedFileCount} prioritized files"
                        : "";
                Console.WriteLine(
                    $"  layer {layer.Descriptor.Digest[..19]}  "
                        + $"{Megabytes(layer.Descriptor.Size), 10} compressed  "
                        + $"{Megabytes(layer.UncompressedSize), 10} uncompressed  "
                        + $"{layer.EntryCount, 6} entries{prioritized}"
                );
            }
        }
    }

    private static string Megabytes(long bytes) => $"{bytes / 1e6:F1} MB";
}
