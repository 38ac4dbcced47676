using Harness.Registry;
using Microsoft.Extensions.Logging;

namespace Harness.Images;

/// <summary>Pushes built image variants to one registry repository, one tag per variant.
/// </summary>
public static class ImagePush
{
    /// <summary>
    /// Pushes each image as <c>REPOSITORY:VARIANT</c>, where <paramref name="repository"/> is a
    /// reference without tag or digest, and returns the pushed references in image order.
    /// </summary>
    public static async Task<IReadOnlyList<LayoutPushResult>> PushAsync(
        IReadOnlyList<WorkloadImage> images,
        string repository,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var target = ImageReference.Parse(repository);
        if (target.Tag is not null || target.Digest is not null)
        {
            throw new HarnessException(
                $"--push expects a repository without tag or digest, found '{repository}'; the "
                    + "variant names become the tags. Drop the ':tag' or '@digest' part."
            );
        }

        using var client = new RegistryClient(target.Registry, logger: logger);
        var pusher = new OciLayoutPusher(client, logger: logger);
        var results = new List<LayoutPushResult>();
        foreach (var image in images)
        {
            var reference = target.WithTag(image.Variant.ToName());
            logger.LogInformation(
                "Pushing {Workload} ({Variant}) to {Reference}",
                image.Workload,
                image.Variant.ToName(),
                reference
            );
            var result = await pusher.PushAsync(
                image.LayoutPath,
                reference,
                progress: null,
                cancellationToken
            );
            if (result.Digest != image.ManifestDigest)
            {
                throw new HarnessException(
                    $"The registry stored {reference} as {result.Digest}, but the built manifest "
                        + $"is {image.ManifestDigest}. Rebuild the image and push again."
                );
            }

            results.Add(result);
        }

        return results;
    }
}
