using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Reporting;

/// <summary>Writes times as ISO 8601 in UTC with milliseconds and a <c>Z</c> suffix, such as
/// 2026-01-31T12:00:00.000Z, whatever offset the value carries.</summary>
internal sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    )
    {
        var text = reader.GetString();
        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var value
        )
            ? value
            : throw new JsonException(
                $"Invalid time '{text}': expected ISO 8601 such as 2026-01-31T12:00:00.000Z."
            );
    }

    public override void Write(
        Utf8JsonWriter writer,
        DateTimeOffset value,
        JsonSerializerOptions options
    ) => writer.WriteStringValue(CsvValueFormat.Timestamp(value));
}
