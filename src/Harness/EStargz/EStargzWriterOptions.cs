namespace Harness.EStargz;

public sealed record EStargzWriterOptions
{
    public int ChunkSize { get; init; }
    public int CompressionLevel { get; init; }
    public IReadOnlyList<string>? PrioritizedFiles { get; init; }
    public int MaxDegreeOfParallelism { get; init; }
}
