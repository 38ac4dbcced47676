namespace Harness.Images;

/// <summary>Compression settings shared by all variants, so that sizes stay comparable.</summary>
public sealed record ImageBuildOptions
{
    /// <summary>zlib level 0-9 of every variant's gzip streams. 6 is zlib's and Go's default,
    /// which Docker and containerd use for gzip layers.</summary>
    public int CompressionLevel { get; init; } = 6;

    /// <summary>Largest uncompressed size in bytes of one eStargz chunk. The eStargz
    /// reference implementation defaults to 4 MiB.</summary>
    public int ChunkSize { get; init; } = 4 << 20;

    /// <summary>Number of chunks the eStargz converter compresses at once.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
