namespace Harness.EStargz;

/// <summary>
/// One gzip member of the blob as planned: a range of a batch's uncompressed bytes, and the TOC
/// entry whose file data starts at the member's first byte, if any.
/// </summary>
/// <param name="Start">Offset of the member's first byte in the batch.</param>
/// <param name="Length">Uncompressed length of the member.</param>
/// <param name="ChunkEntry">The "reg" or "chunk" entry this member begins with, or null.</param>
/// <param name="ChunkLength">Bytes of that chunk at the start of the member.</param>
internal readonly record struct GzipMember(
    int Start,
    int Length,
    TocEntry? ChunkEntry,
    int ChunkLength
);
