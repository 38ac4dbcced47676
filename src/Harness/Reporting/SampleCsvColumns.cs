namespace Harness.Reporting;

/// <summary>
/// Column names of <c>samples.csv</c>, in the order the writer puts them. Phase columns are
/// the names from <see cref="Measurement.Phase"/> with an <c>_ms</c> suffix.
/// </summary>
public static class SampleCsvColumns
{
    public const string Sequence = "sequence";
    public const string StartedAt = "started_at";
    public const string Workload = "workload";
    public const string Variant = "variant";
    public const string Repetition = "repetition";
    public const string Warmup = "warmup";
    public const string Status = "status";
    public const string PullMs = "pull_ms";
    public const string CreateMs = "create_ms";
    public const string StartMs = "start_ms";
    public const string ReadyMs = "ready_ms";
    public const string FirstResponseMs = "first_response_ms";
    public const string TotalMs = "total_ms";
    public const string BytesFetched = "bytes_fetched";
    public const string ImageBytes = "image_bytes";
    public const string Lazy = "lazy";
    public const string Snapshotter = "snapshotter";
    public const string Error = "error";

    /// <summary>Every column in file order; the header of a file must match it exactly.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Sequence,
        StartedAt,
        Workload,
        Variant,
        Repetition,
        Warmup,
        Status,
        PullMs,
        CreateMs,
        StartMs,
        ReadyMs,
        FirstResponseMs,
        TotalMs,
        BytesFetched,
        ImageBytes,
        Lazy,
        Snapshotter,
        Error,
    ];

    /// <summary>Returns the column of a phase's duration, such as <c>pull_ms</c>.</summary>
    public static string ForPhase(string phase) => phase + "_ms";
}
