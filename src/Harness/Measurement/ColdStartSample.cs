namespace Harness.Measurement;

/// <summary>
/// One measured cold start: a row of <c>samples.csv</c>. Phase durations are in milliseconds
/// and are null when the sample ended before reaching that phase.
/// </summary>
public sealed record ColdStartSample
{
    public required string Workload { get; init; }
    public required string Variant { get; init; }

    /// <summary>Zero-based repetition index within the workload and variant.</summary>
    public required int Repetition { get; init; }

    /// <summary>True for warm-up samples: kept in the CSV, left out of the summary.</summary>
    public required bool Warmup { get; init; }

    public required string Status { get; init; }
    public double? PullMs { get; init; }
    public double? CreateMs { get; init; }
    public double? StartMs { get; init; }
    public double? ReadyMs { get; init; }
    public double? FirstResponseMs { get; init; }
    public double? TotalMs { get; init; }

    /// <summary>Bytes the registry sent to the node during this sample.</summary>
    public long? BytesFetched { get; init; }

    /// <summary>Compressed size of the image: the sum of its layer blobs.</summary>
    public long? ImageBytes { get; init; }

    /// <summary>True when every layer was a remote snapshot, false when none was, null when
    /// the sample ended before the proof was taken or the layers were mixed.</summary>
    public bool? Lazy { get; init; }

    /// <summary>Snapshotter that served the container's root filesystem.</summary>
    public string? Snapshotter { get; init; }

    /// <summary>Position of this sample in the shuffled plan, starting at zero.</summary>
    public int Sequence { get; init; }

    /// <summary>UTC time the sample started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    public string? Error { get; init; }
}
