using System.Globalization;

namespace Harness.Reporting;

/// <summary>
/// Text forms of the values in the harness's CSV files: invariant culture, milliseconds with
/// three decimals, <c>true</c>/<c>false</c>, and an empty field for null.
/// </summary>
internal static class CsvValueFormat
{
    /// <summary>Format of <c>started_at</c>: ISO 8601 in UTC with milliseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Milliseconds(double? value) =>
        value is { } number ? number.ToString("F3", CultureInfo.InvariantCulture) : "";

    /// <summary>Formats a unitless number (a ratio, a p-value) with the given decimals.</summary>
    public static string Number(double? value, int decimals) =>
        value is { } number && double.IsFinite(number)
            ? number.ToString(
                "F" + decimals.ToString(CultureInfo.InvariantCulture),
                CultureInfo.InvariantCulture
            )
            : "";

    public static string Integer(long? value) =>
        value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string Boolean(bool? value) =>
        value switch
        {
            true => "true",
            false => "false",
            null => "",
        };

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
