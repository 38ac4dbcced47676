using System.Text.Json.Serialization;

namespace Harness.EStargz;

/// <summary>
/// One TOCEntry of <c>stargz.index.json</c>: a tar entry, or a chunk of a regular file. Field
/// names and omission of zero values follow the Go library's <c>TOCEntry</c> (0.12.0), so a TOC
/// written here reads the same there.
/// </summary>
public sealed class TocEntry
{
    /// <summary>Complete path as stored in the tar header, not normalised.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>One of the <see cref="TocEntryType"/> values.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>Logical size of a regular file in bytes.</summary>
    [JsonPropertyName("size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Size { get; set; }

    /// <summary>Modification time in UTC RFC 3339 at second precision; empty when
    /// unknown.</summary>
    [JsonPropertyName("modtime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ModTime { get; set; }

    /// <summary>Target of a symlink or hard link.</summary>
    [JsonPropertyName("linkName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LinkName { get; set; }

    /// <summary>Permission and mode bits, exactly as in the tar header's mode field.</summary>
    [JsonPropertyName("mode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Mode { get; set; }

    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Uid { get; set; }

    [JsonPropertyName("gid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Gid { get; set; }

    /// <summary>Owner name; written only for the first entry of each uid, as the Go writer
    /// does.</summary>
    [JsonPropertyName("userName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserName { get; set; }

    /// <summary>Group name; written only for the first entry of each gid.</summary>
    [JsonPropertyName("groupName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GroupName { get; set; }

    /// <summary>Blob offset of the gzip member whose data starts with this file or chunk.</summary>
    [JsonPropertyName("offset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Offset { get; set; }

    [JsonPropertyName("devMajor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long DevMajor { get; set; }

    [JsonPropertyName("devMinor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long DevMinor { get; set; }

    /// <summary>Extended attributes from PAX <c>SCHILY.xattr.*</c> records; base64 in
    /// JSON.</summary>
    [JsonPropertyName("xattrs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, byte[]>? Xattrs { get; set; }

    /// <summary>"sha256:&lt;hex&gt;" of a regular file's whole contents.</summary>
    [JsonPropertyName("digest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; set; }

    /// <summary>Offset of this chunk within the file's uncompressed contents.</summary>
    [JsonPropertyName("chunkOffset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long ChunkOffset { get; set; }

    /// <summary>Uncompressed size of this chunk; zero for the last (or only) chunk of a
    /// file.</summary>
    [JsonPropertyName("chunkSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long ChunkSize { get; set; }

    /// <summary>"sha256:&lt;hex&gt;" of this chunk's uncompressed bytes.</summary>
    [JsonPropertyName("chunkDigest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ChunkDigest { get; set; }

    /// <summary>Whether this entry carries file data: a non-empty regular file or a
    /// chunk.</summary>
    [JsonIgnore]
    public bool HasData => (Type == TocEntryType.Regular && Size > 0) || Type == TocEntryType.Chunk;
}
