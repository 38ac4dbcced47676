using Harness.Registry;

namespace Harness.Images;

/// <summary>One built image variant of a workload, stored as an OCI image layout.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="Variant">How the layers are packaged.</param>
/// <param name="LayoutPath">Folder of the OCI image layout.</param>
/// <param name="Manifest">Descriptor of the image manifest.</param>
/// <param name="Layers">Layers in manifest order, base first.</param>
/// <param name="BuildKey">Hash of every input of the build. Equal keys mean equal images.
/// </param>
public sealed record WorkloadImage(
    string Workload,
    ImageVariant Variant,
    string LayoutPath,
    OciDescriptor Manifest,
    IReadOnlyList<ImageLayerSummary> Layers,
    string BuildKey
)
{
    /// <summary>Digest of the image manifest, which identifies the image in a registry.
    /// </summary>
    public string ManifestDigest => Manifest.Digest;

    /// <summary>Sum of the compressed layer sizes in bytes: what a full pull downloads.</summary>
    public long CompressedLayerBytes => Layers.Sum(layer => layer.Descriptor.Size);

    /// <summary>Sum of the uncompressed layer sizes in bytes.</summary>
    public long UncompressedLayerBytes => Layers.Sum(layer => layer.UncompressedSize);

    /// <summary>Layer descriptors in manifest order.</summary>
    public IReadOnlyList<OciDescriptor> LayerDescriptors =>
        Layers.Select(layer => layer.Descriptor).ToList();
}
