using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.EStargz;
using Harness.Workloads;

namespace Harness.Images;

/// <summary>
/// Builds the paired images of a workload: the same three layers (Debian base, runtime
/// packages, application) packaged as gzip for overlayfs and as eStargz with and without
/// prioritized files. Every step is cached by its inputs, so an unchanged workload is rebuilt
/// from the cache in well under a second.
/// </summary>
public sealed class WorkloadImageBuilder
{
    // Bump when the layer or image format changes, so that old layouts are not reused.
    // NOTE: the key does not cover the eStargz converter's code, so a change in its output
    // also needs a bump here (or a deleted images folder) before cached layouts show it.
    private const string FormatVersion = "harness-image-v3";

    private static readonly JsonSerializerOptions RecordJson = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _cacheRoot;
    private readonly ImageBuildOptions _options;
    private readonly WorkloadCatalog _catalog;

    /// <summary>Creates a builder that keeps every cache and layout below
    /// <paramref name="cacheRoot"/>.</summary>
    public WorkloadImageBuilder(
        string cacheRoot,
        ImageBuildOptions? options = null,
        WorkloadCatalog? catalog = null
    )
    {
        _cacheRoot = cacheRoot;
        _options = options ?? new ImageBuildOptions();
        _catalog = catalog ?? WorkloadCatalog.Default;
    }

    /// <summary>A builder on <see cref="HarnessPaths.CacheRoot"/> with default options.
    /// </summary>
    public static WorkloadImageBuilder Default => new(HarnessPaths.CacheRoot);

    /// <summary>Folder of the layout of one variant of a workload.</summary>
    public string LayoutPathOf(string workload, ImageVariant variant) =>
        Path.Combine(_cacheRoot, "images", workload, variant.ToName());

    /// <summary>Builds the variants of the workload named in <paramref name="manifest"/>,
    /// reading its build section from the catalog.</summary>
    public Task<IReadOnlyList<WorkloadImage>> BuildAsync(
        WorkloadManifest manifest,
        IReadOnlyList<ImageVariant> variants,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    ) =>
        BuildAsync(
            _catalog.Get(manifest.Name) with
            {
                Manifest = manifest,
            },
            variants,
            progress,
            cancellationToken
        );

    /// <summary>Builds <paramref name="variants"/> of <paramref name="workload"/>, reusing
    /// cached layouts whose inputs did not change, and returns them in the order asked.
    /// </summary>
    public async Task<IReadOnlyList<WorkloadImage>> BuildAsync(
        WorkloadDefinition workload,
        IReadOnlyList<ImageVariant> variants,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var name = workload.Manifest.Name;
        var build = workload.Build;
        var inputKey = ContentKey.Of(
            FormatVersion,
            RootFilesystemCache.BaseKey(build.Base),
            RootFilesystemCache.RuntimeKey(build.Base, build.RuntimePackages),
            ApplicationTreeCache.KeyOf(workload)
        );
        var configKey = ContentKey.Of(
            string.Join('\0', workload.Manifest.Entrypoint),
            string.Join('\0', OciImageWriter.EnvironmentOf(workload.Manifest)),
            workload.Manifest.WorkingDirectory,
            JsonSerializer.Serialize(_options)
        );

        var images = new Dictionary<ImageVariant, WorkloadImage>();
        foreach (var variant in variants.Distinct())
        {
            var key = VariantKey(inputKey, configKey, variant);
            var cached = await ReadRecordAsync(name, variant, key, cancellationToken);
            if (cached is not null)
            {
                progress?.Report($"{name} ({variant.ToName()}) is up to date in the cache");
                images[variant] = cached;
            }
        }

        var missing = variants.Distinct().Where(variant => !images.ContainsKey(variant)).ToList();
        if (missing.Count == 0)
        {
            return variants.Select(variant => images[variant]).ToList();
        }

        // One build per workload at a time: layouts are swapped in place and the start
        // recording binds the workload's port.
        var imagesFolder = Path.Combine(_cacheRoot, "images");
        Directory.CreateDirectory(imagesFolder);
        await using var buildLock = await CacheLock.AcquireAsync(
            Path.Combine(imagesFolder, name + ".lock"),
            progress,
            cancellationToken
        );
        foreach (var variant in missing.ToList())
        {
            var key = VariantKey(inputKey, configKey, variant);
            if (await ReadRecordAsync(name, variant, key, cancellationToken) is { } done)
            {
                images[variant] = done;
                missing.Remove(variant);
            }
        }

        if (missing.Count > 0)
        {
            var built = await BuildMissingAsync(
                workload,
                missing,
                inputKey,
                configKey,
                progress,
                cancellationToken
            );
            foreach (var image in built)
            {
                images[image.Variant] = image;
            }
        }

        return variants.Select(variant => images[variant]).ToList();
    }

    private async Task<IReadOnlyList<WorkloadImage>> BuildMissingAsync(
        WorkloadDefinition workload,
        IReadOnlyList<ImageVariant> variants,
        string inputKey,
        string configKey,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var name = workload.Manifest.Name;
        var build = workload.Build;
        var roots = new RootFilesystemCache(_cacheRoot, progress);
        var baseRoot = await roots.GetBaseRootAsync(build.Base, cancellationToken);
        var runtimeRoot = await roots.GetRuntimeRootAsync(
            build.Base,
            build.RuntimePackages,
            cancellationToken
        );
        var applicationRoot = await new ApplicationTreeCache(_cacheRoot, progress).GetTreeAsync(
            workload,
            cancellationToken
        );

        var work = Path.Combine(_cacheRoot, "work", $"build-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var tars = await WriteLayerTarsAsync(
                workload,
                baseRoot,
                runtimeRoot,
                applicationRoot,
                work,
                progress,
                cancellationToken
            );

            IReadOnlyList<string> startupFiles = [];
            if (variants.Contains(ImageVariant.EStargz))
            {
                startupFiles = await new StartupRecorder(_cacheRoot, progress).GetStartupFilesAsync(
                    workload.Manifest,
                    [applicationRoot, runtimeRoot],
                    inputKey,
                    cancellationToken
                );
            }

            var images = new List<WorkloadImage>();
            foreach (var variant in variants)
            {
                var key = VariantKey(inputKey, configKey, variant);
                var prioritized =
                    variant == ImageVariant.EStargz
                        ? AssignToLayers(startupFiles, tars)
                        : tars.Select(_ => (IReadOnlyList<string>)[]).ToList();
                images.Add(
                    await BuildVariantAsync(
                        workload.Manifest,
                        variant,
                        key,
                        tars,
                        prioritized,
                        work,
                        progress,
                        cancellationToken
                    )
                );
            }

            return images;
        }
        finally
        {
            await TreeFiles.TryDeleteWithinFileSystemAsync(work);
        }
    }

    private static async Task<IReadOnlyList<LayerTar>> WriteLayerTarsAsync(
        WorkloadDefinition workload,
        string baseRoot,
        string runtimeRoot,
        string applicationRoot,
        string work,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var build = workload.Build;
        progress?.Report("Scanning the root filesystems and computing the runtime layer");
        var baseEntries = FileTreeScanner.Scan(baseRoot, cancellationToken);
        var runtimeEntries = LayerDiff.Compute(
            baseEntries,
            FileTreeScanner.Scan(runtimeRoot, cancellationToken),
            cancellationToken
        );
        var applicationEntries = FileTreeScanner.Scan(applicationRoot, cancellationToken);

        var layers = new (string File, IReadOnlyList<LayerEntry> Entries, string CreatedBy)[]
        {
            (
                "base.tar",
                baseEntries.Select(LayerEntry.FromTree).ToList(),
                $"debootstrap --variant={build.Base.Variant} {build.Base.Suite} / "
                    + build.Base.Mirror
            ),
            (
                "runtime.tar",
                runtimeEntries,
                "apt-get install --no-install-recommends " + string.Join(' ', build.RuntimePackages)
            ),
            (
                "application.tar",
                applicationEntries.Select(LayerEntry.FromTree).ToList(),
                $"copy {string.Join(' ', build.Application.Files)} to "
                    + build.Application.Destination
                    + (build.Application.NpmInstall ? " and run npm ci --omit=dev" : "")
            ),
        };

        var tars = new List<LayerTar>();
        foreach (var (file, entries, createdBy) in layers)
        {
            var tar = await LayerTar.WriteAsync(
                Path.Combine(work, file),
                entries,
                createdBy,
                cancellationToken
            );
            progress?.Report($"Wrote {file}: {entries.Count} entries, {Megabytes(tar.Size)}");
            tars.Add(tar);
        }

        return tars;
    }

    /// <summary>
    /// Gives each startup file to the uppermost layer that contains it, because that copy is
    /// the one the container reads. Each layer's list keeps the order of first access.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> AssignToLayers(
        IReadOnlyList<string> startupFiles,
        IReadOnlyList<LayerTar> layers
    )
    {
        var names = layers
            .Select(layer => layer.EntryNames.ToHashSet(StringComparer.Ordinal))
            .ToList();
        var assigned = layers.Select(_ => new List<string>()).ToList();
        foreach (var file in startupFiles)
        {
            var name = file.TrimStart('/');
            for (var index = layers.Count - 1; index >= 0; index--)
            {
                if (names[index].Contains(name))
                {
                    assigned[index].Add(name);
                    break;
                }
            }
        }

        return assigned;
    }

    private async Task<WorkloadImage> BuildVariantAsync(
        WorkloadManifest manifest,
        ImageVariant variant,
        string key,
        IReadOnlyList<LayerTar> tars,
        IReadOnlyList<IReadOnlyList<string>> prioritized,
        string work,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var name = manifest.Name;
        var layoutPath = LayoutPathOf(name, variant);
        var staging = $"{layoutPath}.partial-{Environment.ProcessId}";
        await TreeFiles.DeleteWithinFileSystemAsync(staging, cancellationToken);

        var layers = new List<BuiltLayer>();
        var started = Stopwatch.StartNew();
        for (var index = 0; index < tars.Count; index++)
        {
            var tar = tars[index];
            var blob = Path.Combine(work, $"{variant.ToName()}-{index}.blob");
            var layerName = Path.GetFileNameWithoutExtension(tar.Path);
            if (variant == ImageVariant.Overlayfs)
            {
                progress?.Report(
                    $"Compressing the {layerName} layer with gzip " + $"({Megabytes(tar.Size)})"
                );
                layers.Add(
                    await LayerCompressor.GzipAsync(
                        tar,
                        blob,
                        _options.CompressionLevel,
                        cancellationToken
                    )
                );
            }
            else
            {
                var files = prioritized[index];
                progress?.Report(
                    $"Converting the {layerName} layer to eStargz "
                        + $"({Megabytes(tar.Size)}, {files.Count} prioritized files)"
                );
                var options = new EStargzWriterOptions
                {
                    ChunkSize = _options.ChunkSize,
                    CompressionLevel = _options.CompressionLevel,
                    PrioritizedFiles = variant == ImageVariant.EStargz ? files : null,
                    MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
                };
                layers.Add(
                    await LayerCompressor.ConvertToEStargzAsync(
                        tar,
                        blob,
                        options,
                        cancellationToken
                    )
                );
            }
        }

        var layout = await OciImageWriter.WriteAsync(
            staging,
            layers,
            manifest,
            $"{name}:{variant.ToName()}",
            cancellationToken
        );
        var summaries = layers
            .Select(
                (layer, index) =>
                    new ImageLayerSummary(
                        layer.Descriptor,
                        layer.DiffId,
                        layer.UncompressedSize,
                        tars[index].EntryNames.Count,
                        prioritized[index].Count,
                        layer.CreatedBy
                    )
            )
            .ToList();
        var image = new WorkloadImage(name, variant, layoutPath, layout.Manifest, summaries, key);

        // Swap the finished layout in, then write the record that marks it as current.
        var recordPath = RecordPathOf(name, variant);
        TreeFiles.Delete(recordPath);
        await TreeFiles.DeleteWithinFileSystemAsync(layoutPath, cancellationToken);
        Directory.Move(staging, layoutPath);
        var temporaryRecord = $"{recordPath}.partial-{Environment.ProcessId}";
        await File.WriteAllTextAsync(
            temporaryRecord,
            JsonSerializer.Serialize(image, RecordJson),
            cancellationToken
        );
        File.Move(temporaryRecord, recordPath, overwrite: true);
        progress?.Report(
            $"Built {name} ({variant.ToName()}): {image.ManifestDigest}, "
                + $"{Megabytes(image.CompressedLayerBytes)} compressed, "
                + $"{started.Elapsed.TotalSeconds:F1} s"
        );
        return image;
    }

    private static string VariantKey(string inputKey, string configKey, ImageVariant variant) =>
        variant == ImageVariant.EStargz
            ? ContentKey.Of(inputKey, configKey, variant.ToName(), StartupRecorder.FormatVersion)
            : ContentKey.Of(inputKey, configKey, variant.ToName());

    private string RecordPathOf(string workload, ImageVariant variant) =>
        LayoutPathOf(workload, variant) + ".build.json";

    private async Task<WorkloadImage?> ReadRecordAsync(
        string workload,
        ImageVariant variant,
        string key,
        CancellationToken cancellationToken
    )
    {
        var recordPath = RecordPathOf(workload, variant);
        var layoutPath = LayoutPathOf(workload, variant);
        if (!File.Exists(recordPath) || !File.Exists(Path.Combine(layoutPath, "oci-layout")))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(recordPath);
            var image = await JsonSerializer.DeserializeAsync<WorkloadImage>(
                stream,
                RecordJson,
                cancellationToken
            );
            return image is not null && image.BuildKey == key && image.Variant == variant
                ? image
                : null;
        }
        catch (JsonException)
        {
            // A damaged record only means the variant is built again.
            return null;
        }
    }

    private static string Megabytes(long bytes) => $"{bytes / 1e6:F1} MB";
}
