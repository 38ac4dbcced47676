using Harness.Images;
using Harness.Workloads;

namespace Harness.Backends;

/// <summary>One planned cold start: which workload, which image, where in the plan.</summary>
public sealed record ColdStartRequest
{
    public required WorkloadManifest Workload { get; init; }
    public required ImageVariant Variant { get; init; }

    /// <summary>Image reference the backend pulls, pinned by digest.</summary>
    public required string ImageReference { get; init; }

    /// <summary>Compressed size of the image's layers.</summary>
    public long ImageBytes { get; init; }

    public required int Repetition { get; init; }
    public required bool Warmup { get; init; }
    public required int Sequence { get; init; }
}
