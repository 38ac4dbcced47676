namespace Harness.Images;

/// <summary>
/// Media types and annotation keys of the OCI image spec (v1.1) that image layouts use.
/// </summary>
public static class OciMediaTypes
{
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>Gzip-compressed tar layer. eStargz layers use it too, since an eStargz blob is
    /// a valid gzip stream.</summary>
    public const string LayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>Annotation on an index entry that names the image (image-layout.md).</summary>
    public const string ReferenceNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>Version written to the layout's <c>oci-layout</c> file.</summary>
    public const string ImageLayoutVersion = "1.0.0";
}
