using System.Text.Json.Serialization;

namespace Harness.EStargz;

/// <summary>The JSON document <c>stargz.index.json</c>: a version and the entries in blob
/// order.</summary>
public sealed class TocDocument
{
    [JsonPropertyName("version")]
    public int Version { get; set; } = EStargzFormat.TocVersion;

    [JsonPropertyName("entries")]
    public List<TocEntry> Entries { get; set; } = [];
}
