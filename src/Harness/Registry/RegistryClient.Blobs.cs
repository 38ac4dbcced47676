using System.Net;

namespace Harness.Registry;

// Blob operations: existence, download, and the three ways of uploading (monolithic, chunked,
// mounted from another repository). Paths follow the OCI distribution specification v1.0,
// sections "Pulling blobs" and "Pushing blobs".
public sealed partial class RegistryClient
{
    /// <summary>Tells whether the repository has a blob (HEAD on the blob URL).</summary>
    public async Task<bool> BlobExistsAsync(
        string repository,
        string digest,
        CancellationToken cancellationToken
    )
    {
        var operation = $"check blob {ContentDigest.Abbreviate(digest)} in {repository}";
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Head, BlobUri(repository, digest)),
            [RegistryScopes.Pull(repository)],
            operation,
            cancellationToken
        );
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw await CreateExceptionAsync(response, operation, cancellationToken),
        };
    }

    /// <summary>Downloads a blob into a stream, checking its digest, and returns its size.
    /// </summary>
    public async Task<long> CopyBlobToAsync(
        string repository,
        string digest,
        Stream destination,
        CancellationToken cancellationToken
    )
    {
        var operation = $"download blob {ContentDigest.Abbreviate(digest)} from {repository}";
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, BlobUri(repository, digest)),
            [RegistryScopes.Pull(repository)],
            operation,
            cancellationToken,
            HttpCompletionOption.ResponseHeadersRead
        );
        await EnsureStatusAsync(response, operation, cancellationToken, HttpStatusCode.OK);

        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var hash = ContentDigest.CreateHashLike(digest);
        var buffer = new byte[128 * 1024];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }

        var actual = ContentDigest.Finish(hash, digest);
        if (actual != digest)
        {
            throw new HarnessException(
                $"Blob {digest} from {Registry}/{repository} has digest {actual} "
                    + $"({total} bytes); the registry's storage is corrupt or a proxy altered it."
            );
        }

        return total;
    }

    /// <summary>Uploads a blob, in one PUT when it fits in <see cref="ChunkSize"/> and in
    /// PATCH chunks otherwise; <paramref name="progress"/> receives the bytes sent so far.
    /// </summary>
    public async Task UploadBlobAsync(
        string repository,
        BlobSource blob,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var location = await StartUploadAsync(repository, blob, null, cancellationToken);
        await FinishUploadAsync(
            repository,
            blob,
            location!,
            options.ChunkSize,
            progress,
            cancellationToken
        );
    }

    /// <summary>Uploads a blob with POST then a single PUT carrying every byte.</summary>
    public async Task UploadBlobMonolithicAsync(
        string repository,
        BlobSource blob,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var location = await StartUploadAsync(repository, blob, null, cancellationToken);
        await PutBlobAsync(repository, blob, location!, 0, progress, cancellationToken);
    }

    /// <summary>Uploads a blob with POST, PATCH requests of at most
    /// <paramref name="chunkSize"/> bytes each, and a closing PUT with the digest.</summary>
    public async Task UploadBlobChunkedAsync(
        string repository,
        BlobSource blob,
        long chunkSize,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        if (chunkSize <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(chunkSize),
                chunkSize,
                "The chunk size must be positive."
            );
        }

        var location = await StartUploadAsync(repository, blob, null, cancellationToken);
        await UploadChunksAsync(
            repository,
            blob,
            location!,
            chunkSize,
            progress,
            cancellationToken
        );
    }

    /// <summary>Asks the registry to link a blob from another repository of the same
    /// registry; when it opens an upload session instead (202), uploads the blob there.
    /// </summary>
    public async Task<BlobPushOutcome> MountBlobAsync(
        string repository,
        BlobSource blob,
        string fromRepository,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var location = await StartUploadAsync(repository, blob, fromRepository, cancellationToken);
        if (location is null)
        {
            return BlobPushOutcome.Mounted;
        }

        await FinishUploadAsync(
            repository,
            blob,
            location,
            options.ChunkSize,
            progress,
            cancellationToken
        );
        return BlobPushOutcome.Uploaded;
    }

    private Uri BlobUri(string repository, string digest) =>
        ApiUri($"v2/{repository}/blobs/{digest}");

    /// <summary>Opens an upload session (POST), returning its location, or null when the
    /// registry mounted the blob instead (201).</summary>
    private async Task<Uri?> StartUploadAsync(
        string repository,
        BlobSource blob,
        string? mountFrom,
        CancellationToken cancellationToken
    )
    {
        var query = mountFrom is null
            ? ""
            : $"?mount={Uri.EscapeDataString(blob.Digest)}&from={Uri.EscapeDataString(mountFrom)}";
        IReadOnlyList<string> scopes = mountFrom is null
            ? [RegistryScopes.PullPush(repository)]
            : [RegistryScopes.PullPush(repository), RegistryScopes.Pull(mountFrom)];
        var operation = mountFrom is null
            ? $"start upload of blob {ContentDigest.Abbreviate(blob.Digest)} to {repository}"
            : $"mount blob {ContentDigest.Abbreviate(blob.Digest)} from {mountFrom} "
                + $"into {repository}";

        using var response = await SendAsync(
            () =>
                new HttpRequestMessage(
                    HttpMethod.Post,
                    ApiUri($"v2/{repository}/blobs/uploads/{query}")
                )
                {
                    Content = new ByteArrayContent([]),
                },
            scopes,
            operation,
            cancellationToken
        );
        if (mountFrom is not null && response.StatusCode == HttpStatusCode.Created)
        {
            return null;
        }

        await EnsureStatusAsync(response, operation, cancellationToken, HttpStatusCode.Accepted);
        return ReadLocation(response, operation);
    }

    private Task FinishUploadAsync(
        string repository,
        BlobSource blob,
        Uri location,
        long chunkSize,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    ) =>
        blob.Size <= chunkSize
            ? PutBlobAsync(repository, blob, location, 0, progress, cancellationToken)
            : UploadChunksAsync(repository, blob, location, chunkSize, progress, cancellationToken);

    private async Task UploadChunksAsync(
        string repository,
        BlobSource blob,
        Uri location,
        long chunkSize,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var abbreviated = ContentDigest.Abbreviate(blob.Digest);
        for (long offset = 0; offset < blob.Size; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, blob.Size - offset);
            var last = offset + length - 1;
            var operation = $"upload bytes {offset}-{last} of blob {abbreviated} to {repository}";
            var chunkStart = offset;
            var target = location;

            using var response = await SendAsync(
                () =>
                {
                    var content = new BlobRangeContent(
                        blob,
                        chunkStart,
                        length,
                        CreateProgressSink(progress, chunkStart)
                    );

                    // Distribution wants "start-end" (inclusive), not the RFC 7233
                    // "bytes start-end/total" form that ContentRangeHeaderValue writes.
                    content.Headers.TryAddWithoutValidation(
                        "Content-Range",
                        $"{chunkStart}-{chunkStart + length - 1}"
                    );
                    return new HttpRequestMessage(HttpMethod.Patch, target) { Content = content };
                },
                [RegistryScopes.PullPush(repository)],
                operation,
                cancellationToken
            );
            await EnsureStatusAsync(
                response,
                operation,
                cancellationToken,
                HttpStatusCode.Accepted
            );
            CheckUploadedRange(response, operation, last);
            location = ReadLocation(response, operation);
        }

        await PutBlobAsync(repository, blob, location, blob.Size, progress, cancellationToken);
    }

    /// <summary>Closes an upload session with PUT and the digest, sending the bytes from
    /// <paramref name="offset"/> to the end (none after a chunked upload).</summary>
    private async Task PutBlobAsync(
        string repository,
        BlobSource blob,
        Uri location,
        long offset,
        IProgress<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var operation =
            $"finish upload of blob {ContentDigest.Abbreviate(blob.Digest)} "
            + $"({blob.Size} bytes) to {repository}";
        var target = AppendQuery(location, "digest=" + Uri.EscapeDataString(blob.Digest));
        using var response = await SendAsync(
            () =>
                new HttpRequestMessage(HttpMethod.Put, target)
                {
                    Content = new BlobRangeContent(
                        blob,
                        offset,
                        blob.Size - offset,
                        CreateProgressSink(progress, offset)
                    ),
                },
            [RegistryScopes.PullPush(repository)],
            operation,
            cancellationToken
        );
        await EnsureStatusAsync(response, operation, cancellationToken, HttpStatusCode.Created);

        var stored = ReadDigestHeader(response);
        if (stored is not null && stored != blob.Digest)
        {
            throw new HarnessException(
                $"Registry {Registry} stored blob {blob.Digest} under digest {stored} in "
                    + $"{repository}. The registry or a proxy changed the bytes; check its log."
            );
        }

        progress?.Report(blob.Size);
    }

    private static Action<long>? CreateProgressSink(IProgress<long>? progress, long start)
    {
        if (progress is null)
        {
            return null;
        }

        // Each attempt counts from its own start, so a resent body is not counted twice.
        var sent = start;
        return count =>
        {
            sent += count;
            progress.Report(sent);
        };
    }

    private static void CheckUploadedRange(
        HttpResponseMessage response,
        string operation,
        long expectedLast
    )
    {
        // The registry reports the bytes it has stored as "Range: 0-<last>". Distribution
        // 2.x sends no "bytes=" prefix, but other registries may.
        if (!response.Headers.TryGetValues("Range", out var values))
        {
            return;
        }

        var range = values.First();
        var dash = range.LastIndexOf('-');
        if (dash >= 0 && long.TryParse(range[(dash + 1)..], out var last) && last != expectedLast)
        {
            throw new HarnessException(
                $"Registry request out of step: {operation}: the registry holds bytes "
                    + $"{range}, expected 0-{expectedLast}. Retry the push."
            );
        }
    }

    private static Uri ReadLocation(HttpResponseMessage response, string operation)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            throw new HarnessException(
                $"Registry request failed: {operation}: the response "
                    + $"{(int)response.StatusCode} has no Location header for the upload session. "
                    + "The registry does not follow the distribution specification."
            );
        }

        var requestUri = response.RequestMessage!.RequestUri!;
        var absolute = location.IsAbsoluteUri ? location : new Uri(requestUri, location);

        // The next requests carry this client's authorization, so they stay on the host that
        // was asked.
        if (
            Uri.Compare(
                absolute,
                requestUri,
                UriComponents.SchemeAndServer,
                UriFormat.Unescaped,
                StringComparison.OrdinalIgnoreCase
            ) != 0
        )
        {
            throw new HarnessException(
                $"Registry request failed: {operation}: the upload session is on another "
                    + $"server ({absolute.GetLeftPart(UriPartial.Authority)}, asked "
                    + $"{requestUri.GetLeftPart(UriPartial.Authority)}), and the harness does not "
                    + "send credentials to other servers. Push to the registry's own address."
            );
        }

        return absolute;
    }

    private static Uri AppendQuery(Uri uri, string parameter)
    {
        var builder = new UriBuilder(uri);
        var existing = builder.Query.TrimStart('?');
        builder.Query = existing.Length == 0 ? parameter : $"{existing}&{parameter}";
        return builder.Uri;
    }
}
