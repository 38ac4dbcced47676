namespace Harness.EStargz;

/// <summary>Settings of an eStargz conversion.</summary>
public sealed record EStargzWriterOptions
{
    /// <summary>Largest uncompressed chunk of a regular file in one gzip member, in
    /// bytes.</summary>
    public int ChunkSize { get; init; } = 4 * 1024 * 1024; // as ctr-remote's default

    /// <summary>gzip level 0-9, same meaning as Go's gzip (9 is the Go converter's
    /// default).</summary>
    public int CompressionLevel { get; init; } = 9;

    /// <summary>Paths to place first, before the prefetch landmark; null or empty: none
    /// (noopt).</summary>
    public IReadOnlyList<string>? PrioritizedFiles { get; init; }

    /// <summary>Number of gzip members compressed at the same time.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
