namespace Harness.Registry;

/// <summary>
/// Media types of image manifests and indexes: OCI image specification v1 and the Docker
/// image manifest v2 schema 2 formats that registries also serve.
/// </summary>
public static class ManifestMediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index (a list of manifests, such as one per platform).</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list, schema 2.</summary>
    public const string DockerManifestList =
        "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Every type above, in the order sent in <c>Accept</c> headers.</summary>
    public static IReadOnlyList<string> All { get; } =
    [OciManifest, OciIndex, DockerManifest, DockerManifestList];

    /// <summary>Tells whether a media type lists other manifests (index or manifest list).
    /// </summary>
    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Tells whether a media type is a single-image manifest.</summary>
    public static bool IsImageManifest(string mediaType) =>
        mediaType is OciManifest or DockerManifest;
}
