using Harness.Images;

namespace Harness.Tests.Conformance;

/// <summary>One variant of the conformance image, pushed to the test node's registry.</summary>
/// <param name="Reference">Image reference with the variant name as its tag.</param>
/// <param name="TopChainId">Chain ID of the topmost layer: the key of the committed snapshot
/// that holds the whole image.</param>
internal sealed record ConformanceImage(
    ImageVariant Variant,
    string Reference,
    string TopChainId,
    int LayerCount
);
