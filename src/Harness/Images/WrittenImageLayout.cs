using Harness.Registry;

namespace Harness.Images;

/// <summary>Descriptors of an image that <see cref="OciImageWriter"/> wrote as an OCI image
/// layout folder.</summary>
/// <param name="LayoutPath">Folder with <c>oci-layout</c>, <c>index.json</c> and blobs.</param>
/// <param name="Manifest">Descriptor of the image manifest, as listed in index.json.</param>
/// <param name="Config">Descriptor of the image config.</param>
/// <param name="Layers">Layer descriptors in manifest order, base first.</param>
public sealed record WrittenImageLayout(
    string LayoutPath,
    OciDescriptor Manifest,
    OciDescriptor Config,
    IReadOnlyList<OciDescriptor> Layers
);
