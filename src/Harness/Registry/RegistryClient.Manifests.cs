using System.Net;
using System.Net.Http.Headers;

namespace Harness.Registry;

// Manifest operations (OCI distribution specification v1.0, "Pulling manifests" and
// "Pushing manifests"). A manifest is handled as the exact bytes that its digest covers.
public sealed partial class RegistryClient
{
    /// <summary>Tells whether the repository has a manifest for a tag or digest (HEAD).
    /// </summary>
    public async Task<bool> ManifestExistsAsync(
        string repository,
        string reference,
        CancellationToken cancellationToken
    )
    {
        var operation = $"check manifest {repository}:{reference}";
        using var response = await SendAsync(
            () => CreateManifestRequest(HttpMethod.Head, repository, reference),
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

    /// <summary>Fetches a manifest or index by tag or digest, accepting the OCI and Docker
    /// media types, and checks its digest when the reference or the registry names one.
    /// </summary>
    public async Task<RegistryManifest> GetManifestAsync(
        string repository,
        string reference,
        CancellationToken cancellationToken
    )
    {
        var operation = $"get manifest {repository}:{reference}";
        using var response = await SendAsync(
            () => CreateManifestRequest(HttpMethod.Get, repository, reference),
            [RegistryScopes.Pull(repository)],
            operation,
            cancellationToken,
            HttpCompletionOption.ResponseHeadersRead
        );
        await EnsureStatusAsync(response, operation, cancellationToken, HttpStatusCode.OK);

        var content = await ReadManifestBytesAsync(response, operation, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var expected = ContentDigest.Validate(reference) is null
            ? reference
            : ReadDigestHeader(response);
        var digest = expected is null
            ? ContentDigest.ComputeSha256(content)
            : ContentDigest.ComputeLike(expected, content);
        if (expected is not null && digest != expected)
        {
            throw new HarnessException(
                $"Manifest {Registry}/{repository}:{reference} has digest {digest}, but "
                    + $"{expected} was expected. The registry's storage is corrupt or a proxy "
                    + "altered the manifest."
            );
        }

        return new RegistryManifest(mediaType, digest, content);
    }

    /// <summary>Stores a manifest or index under a tag or its digest and returns the digest
    /// of the stored bytes.</summary>
    public async Task<string> PutManifestAsync(
        string repository,
        string reference,
        RegistryManifest manifest,
        CancellationToken cancellationToken
    )
    {
        if (manifest.Content.Length > MaxManifestBytes)
        {
            throw new HarnessException(
                $"Manifest {manifest.Digest} is {manifest.Content.Length} bytes; registries "
                    + $"accept at most {MaxManifestBytes}. Use fewer layers or annotations."
            );
        }

        var digest = ContentDigest.ComputeLike(manifest.Digest, manifest.Content);
        if (digest != manifest.Digest)
        {
            throw new HarnessException(
                $"Manifest described as {manifest.Digest} has digest {digest}. Rebuild the "
                    + "image so that the digest is computed from the stored bytes."
            );
        }

        var operation = $"put manifest {repository}:{reference} ({manifest.MediaType})";
        using var response = await SendAsync(
            () =>
            {
                var content = new ByteArrayContent(manifest.Content);
                content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
                return new HttpRequestMessage(HttpMethod.Put, ManifestUri(repository, reference))
                {
                    Content = content,
                };
            },
            [RegistryScopes.PullPush(repository)],
            operation,
            cancellationToken
        );
        await EnsureStatusAsync(response, operation, cancellationToken, HttpStatusCode.Created);

        var stored = ReadDigestHeader(response);
        if (stored is not null && stored != digest)
        {
            throw new HarnessException(
                $"Registry {Registry} stored manifest {digest} of {repository} under digest "
                    + $"{stored}; it may have rewritten the manifest. Check its log."
            );
        }

        return digest;
    }

    private Uri ManifestUri(string repository, string reference) =>
        ApiUri($"v2/{repository}/manifests/{reference}");

    private HttpRequestMessage CreateManifestRequest(
        HttpMethod method,
        string repository,
        string reference
    )
    {
        var request = new HttpRequestMessage(method, ManifestUri(repository, reference));
        foreach (var mediaType in ManifestMediaTypes.All)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        return request;
    }

    private static async Task<byte[]> ReadManifestBytesAsync(
        HttpResponseMessage response,
        string operation,
        CancellationToken cancellationToken
    )
    {
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw new HarnessException(
                $"Registry request failed: {operation}: the manifest is "
                    + $"{response.Content.Headers.ContentLength} bytes, over the "
                    + $"{MaxManifestBytes}-byte limit."
            );
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxManifestBytes)
            {
                throw new HarnessException(
                    $"Registry request failed: {operation}: the manifest is over the "
                        + $"{MaxManifestBytes}-byte limit."
                );
            }
        }

        return buffer.ToArray();
    }
}
