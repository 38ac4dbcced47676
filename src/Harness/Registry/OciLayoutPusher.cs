using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Registry;

/// <summary>
/// Pushes an image from an OCI image layout folder to a registry. Blobs go first: those the
/// repository has are skipped, those another repository has are mounted, and the rest are
/// uploaded from disk. Child manifests of an index follow by digest, then the top manifest
/// under the target tag. One pusher remembers where it pushed each blob, so later pushes to
/// other repositories of the same registry mount instead of uploading.
/// </summary>
public sealed class OciLayoutPusher
{
    private readonly RegistryClient client;
    private readonly OciLayoutPushOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, string> knownRepositoryByDigest = new(
        StringComparer.Ordinal
    );

    /// <summary>Creates a pusher that sends through <paramref name="client"/>.</summary>
    public OciLayoutPusher(
        RegistryClient client,
        OciLayoutPushOptions? options = null,
        ILogger? logger = null
    )
    {
        this.client = client;
        this.options = options ?? new OciLayoutPushOptions();
        this.logger = logger ?? NullLogger.Instance;
        if (this.options.MaxConcurrentUploads < 1)
        {
            throw new HarnessException(
                $"Max concurrent uploads {this.options.MaxConcurrentUploads} is invalid; "
                    + "expected 1 or more."
            );
        }
    }

    /// <summary>Pushes the image in <paramref name="layoutPath"/> to
    /// <paramref name="target"/> and returns the pushed manifest's digest and blob counts.
    /// Blobs are pushed in parallel, so <paramref name="progress"/> may receive reports from
    /// several threads at once.
    /// </summary>
    public async Task<LayoutPushResult> PushAsync(
        string layoutPath,
        ImageReference target,
        IProgress<PushProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        if (RegistryHosts.Normalize(target.Registry) != client.Registry)
        {
            throw new HarnessException(
                $"Cannot push {target} with a client for registry {client.Registry}; create "
                    + $"a RegistryClient for {target.Registry}."
            );
        }

        var layout = OciImageLayout.Open(layoutPath);
        var top = SelectManifest(layout, target);
        if (target.Digest is not null && target.Digest != top.Digest)
        {
            throw new HarnessException(
                $"The target {target} names digest {target.Digest}, but the layout's manifest "
                    + $"is {top.Digest}. Drop the digest from the target or push the matching "
                    + "image."
            );
        }

        var blobs = new ConcurrentDictionary<
            string,
            Lazy<Task<(BlobPushOutcome? Outcome, long Size)>>
        >(StringComparer.Ordinal);
        var reference = target.Tag ?? target.Digest ?? "latest";
        var push = new PushContext(layout, target.Repository, blobs, progress);
        var mediaType = await PushManifestAsync(push, top, reference, cancellationToken);

        var outcomes = new List<(BlobPushOutcome? Outcome, long Size)>();
        foreach (var task in blobs.Values)
        {
            outcomes.Add(await task.Value);
        }

        var result = new LayoutPushResult(
            target.WithDigest(top.Digest),
            top.Digest,
            mediaType,
            outcomes.Count(item => item.Outcome == BlobPushOutcome.AlreadyPresent),
            outcomes.Count(item => item.Outcome == BlobPushOutcome.Mounted),
            outcomes.Count(item => item.Outcome == BlobPushOutcome.Uploaded),
            outcomes.Where(item => item.Outcome == BlobPushOutcome.Uploaded).Sum(item => item.Size)
        );
        logger.LogInformation(
            "Pushed {Reference}: {Uploaded} blobs uploaded ({Bytes} bytes), "
                + "{Mounted} mounted, {Existing} already present",
            result.Reference,
            result.BlobsUploaded,
            result.BytesUploaded,
            result.BlobsMounted,
            result.BlobsExisting
        );
        return result;
    }

    private static OciDescriptor SelectManifest(OciImageLayout layout, ImageReference target)
    {
        if (layout.Manifests.Count == 1)
        {
            return layout.Manifests[0];
        }

        var names = layout
            .Manifests.Select(item =>
                item.Annotations.GetValueOrDefault(OciDescriptor.RefNameAnnotation)
            )
            .ToList();
        var matches = layout
            .Manifests.Where(item =>
                target.Tag is not null
                && item.Annotations.GetValueOrDefault(OciDescriptor.RefNameAnnotation) is { } name
                && (name == target.Tag || name == target.ToString())
            )
            .ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        var listed = string.Join(", ", names.Select(name => name ?? "(unnamed)"));
        throw new HarnessException(
            $"The OCI image layout {layout.Path} lists {layout.Manifests.Count} manifests "
                + $"({listed}) and none is uniquely named '{target.Tag}' by the "
                + $"{OciDescriptor.RefNameAnnotation} annotation. Push with a tag that matches one "
                + "of those names, or write a layout with a single manifest."
        );
    }

    /// <summary>Pushes the blobs (or child manifests) a manifest references, then the
    /// manifest itself, and returns its media type.</summary>
    private async Task<string> PushManifestAsync(
        PushContext push,
        OciDescriptor descriptor,
        string reference,
        CancellationToken cancellationToken
    )
    {
        var content = push.Layout.ReadManifest(descriptor);
        var (mediaType, children, blobs) = ParseManifest(push.Layout, descriptor, content);

        foreach (var child in children)
        {
            await PushManifestAsync(push, child, child.Digest, cancellationToken);
        }

        await Parallel.ForEachAsync(
            blobs,
            new ParallelOptions
            {
                MaxDegreeOfParallelism = options.MaxConcurrentUploads,
                CancellationToken = cancellationToken,
            },
            async (blob, token) =>
            {
                // A blob shared by several manifests of an index is pushed once.
                var task = push.Blobs.GetOrAdd(blob.Digest, _ => new Lazy<
                    Task<(BlobPushOutcome? Outcome, long Size)>
                >(() => PushBlobAsync(push, blob, token)));
                await task.Value;
            }
        );

        var digest = await client.PutManifestAsync(
            push.Repository,
            reference,
            new RegistryManifest(mediaType, descriptor.Digest, content),
            cancellationToken
        );
        push.Progress?.Report(
            new PushProgress(
                digest,
                mediaType,
                content.Length,
                content.Length,
                PushStage.ManifestPushed
            )
        );
        logger.LogDebug(
            "Stored manifest {Digest} ({MediaType}) as {Repository}:{Reference}",
            digest,
            mediaType,
            push.Repository,
            reference
        );
        return mediaType;
    }

    private static (
        string MediaType,
        List<OciDescriptor> Children,
        List<OciDescriptor> Blobs
    ) ParseManifest(OciImageLayout layout, OciDescriptor descriptor, byte[] content)
    {
        var where = $"manifest {descriptor.Digest} in {layout.Path}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException exception)
        {
            throw new HarnessException(
                $"{where} is not valid JSON: {exception.Message}",
                exception
            );
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new HarnessException($"{where} is {root.ValueKind}, not a JSON object.");
            }

            // The descriptor's media type wins (OCI image specification, image-index.md);
            // the manifest's own mediaType field, then its shape, are fallbacks.
            var mediaType = descriptor.MediaType;
            if (mediaType.Length == 0)
            {
                mediaType =
                    root.TryGetProperty("mediaType", out var own)
                    && own.ValueKind == JsonValueKind.String
                        ? own.GetString()!
                    : root.TryGetProperty("manifests", out _) ? ManifestMediaTypes.OciIndex
                    : ManifestMediaTypes.OciManifest;
            }

            var children = new List<OciDescriptor>();
            var blobs = new List<OciDescriptor>();
            if (ManifestMediaTypes.IsIndex(mediaType))
            {
                children.AddRange(ReadDescriptorArray(root, "manifests", where));
            }
            else if (ManifestMediaTypes.IsImageManifest(mediaType))
            {
                if (!root.TryGetProperty("config", out var config))
                {
                    throw new HarnessException($"{where} has no 'config' descriptor.");
                }

                blobs.Add(OciDescriptor.FromJson(config, $"{where} config"));
                blobs.AddRange(ReadDescriptorArray(root, "layers", where));
            }
            else
            {
                throw new HarnessException(
                    $"{where} has media type '{mediaType}'; expected one of "
                        + $"{string.Join(", ", ManifestMediaTypes.All)}."
                );
            }

            return (mediaType, children, blobs);
        }
    }

    private static IEnumerable<OciDescriptor> ReadDescriptorArray(
        JsonElement root,
        string name,
        string where
    )
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new HarnessException($"{where} has no '{name}' array.");
        }

        return array
            .EnumerateArray()
            .Select(
                (element, position) =>
                    OciDescriptor.FromJson(element, $"{where} {name}[{position}]")
            )
            .ToList();
    }

    private async Task<(BlobPushOutcome? Outcome, long Size)> PushBlobAsync(
        PushContext push,
        OciDescriptor descriptor,
        CancellationToken cancellationToken
    )
    {
        var path = push.Layout.GetBlobPath(descriptor.Digest);
        var abbreviated = ContentDigest.Abbreviate(descriptor.Digest);
        void Report(long sent, PushStage stage) =>
            push.Progress?.Report(
                new PushProgress(
                    descriptor.Digest,
                    descriptor.MediaType,
                    descriptor.Size,
                    sent,
                    stage
                )
            );

        if (!File.Exists(path))
        {
            if (descriptor.Urls.Count > 0)
            {
                logger.LogDebug("Not pushing non-distributable blob {Digest}", abbreviated);
                Report(0, PushStage.Foreign);
                return (null, descriptor.Size);
            }

            throw new HarnessException(
                $"Blob {descriptor.Digest} ({descriptor.MediaType}) is missing from the OCI "
                    + $"image layout {push.Layout.Path} (expected {path}). Build the image again."
            );
        }

        var blob = BlobSource.FromFile(path, descriptor.Digest);
        if (blob.Size != descriptor.Size)
        {
            throw new HarnessException(
                $"Blob {path} is {blob.Size} bytes, but its descriptor says {descriptor.Size}. "
                    + "The layout is corrupt; build the image again."
            );
        }

        if (await client.BlobExistsAsync(push.Repository, descriptor.Digest, cancellationToken))
        {
            Report(0, PushStage.Existing);
            Remember(descriptor.Digest, push.Repository);
            return (BlobPushOutcome.AlreadyPresent, blob.Size);
        }

        var stopwatch = Stopwatch.StartNew();
        var uploadProgress = push.Progress is null
            ? null
            : new SynchronousProgress<long>(sent => Report(sent, PushStage.Uploading));
        var outcome = await MountOrUploadAsync(
            push.Repository,
            blob,
            uploadProgress,
            cancellationToken
        );
        Remember(descriptor.Digest, push.Repository);

        if (outcome == BlobPushOutcome.Mounted)
        {
            Report(0, PushStage.Mounted);
            logger.LogDebug(
                "Mounted blob {Digest} into {Repository}",
                abbreviated,
                push.Repository
            );
        }
        else
        {
            Report(blob.Size, PushStage.Uploaded);
            logger.LogDebug(
                "Uploaded blob {Digest} ({Bytes} bytes) to {Repository} in {Seconds:0.00} s",
                abbreviated,
                blob.Size,
                push.Repository,
                stopwatch.Elapsed.TotalSeconds
            );
        }

        return (outcome, blob.Size);
    }

    private async Task<BlobPushOutcome> MountOrUploadAsync(
        string repository,
        BlobSource blob,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var source = MountCandidates(blob.Digest, repository).FirstOrDefault();
        if (source is not null)
        {
            try
            {
                return await client.MountBlobAsync(
                    repository,
                    blob,
                    source,
                    progress,
                    cancellationToken
                );
            }
            catch (RegistryException exception)
                when (exception.StatusCode
                        is HttpStatusCode.Unauthorized
                            or HttpStatusCode.Forbidden
                )
            {
                // Mounting needs pull access to the source; without it, upload instead.
                logger.LogDebug(
                    "Could not mount {Digest} from {Source} ({Status}); uploading it instead",
                    ContentDigest.Abbreviate(blob.Digest),
                    source,
                    exception.StatusCode
                );
            }
        }

        await client.UploadBlobAsync(repository, blob, progress, cancellationToken);
        return BlobPushOutcome.Uploaded;
    }

    private IEnumerable<string> MountCandidates(string digest, string repository)
    {
        if (knownRepositoryByDigest.TryGetValue(digest, out var known) && known != repository)
        {
            yield return known;
        }

        foreach (var source in options.MountSources)
        {
            if (source != repository)
            {
                yield return source;
            }
        }
    }

    private void Remember(string digest, string repository) =>
        knownRepositoryByDigest.TryAdd(digest, repository);

    private sealed record PushContext(
        OciImageLayout Layout,
        string Repository,
        ConcurrentDictionary<string, Lazy<Task<(BlobPushOutcome? Outcome, long Size)>>> Blobs,
        IProgress<PushProgress>? Progress
    );
}
