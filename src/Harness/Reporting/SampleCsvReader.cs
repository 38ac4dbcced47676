using System.Globalization;
using CsvHelper;
using Harness.Measurement;

namespace Harness.Reporting;

/// <summary>
/// Reads <c>samples.csv</c> back into samples, for resuming a run, redrawing figures and
/// comparing runs. Every problem is reported with the file, row, line, column, the value found
/// and the value expected.
/// </summary>
public static class SampleCsvReader
{
    /// <summary>Reads the header row of a samples file.</summary>
    public static IReadOnlyList<string> ReadHeader(string path)
    {
        using var csv = Open(path);
        ReadHeaderRow(csv, path);
        return csv.Headers.ToArray();
    }

    /// <summary>Reads every row of a samples file, in file order.</summary>
    public static IReadOnlyList<ColdStartSample> Read(string path)
    {
        using var csv = Open(path);
        ReadHeaderRow(csv, path);
        var columns = MapColumns(csv.Headers, path);
        var samples = new List<ColdStartSample>();
        try
        {
            while (csv.Read())
            {
                var row = new RowParser(csv, columns, path, samples.Count + 1);
                samples.Add(row.ToSample());
            }
        }
        catch (CsvFormatException exception)
        {
            throw new HarnessException(
                $"{path} is not valid CSV: {exception.Message} Fix or delete that row.",
                exception
            );
        }

        return samples;
    }

    private static CsvReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new HarnessException(
                $"No samples file at {path}. Point the command at a results folder written "
                    + "by 'harness run' (it contains samples.csv)."
            );
        }

        return CsvReader.FromFile(path, SampleCsvOptions.Reader);
    }

    private static void ReadHeaderRow(CsvReader csv, string path)
    {
        try
        {
            csv.ReadHeader();
        }
        catch (CsvFormatException exception)
        {
            throw new HarnessException(
                $"{path} has an unreadable header: {exception.Message}",
                exception
            );
        }

        if (csv.Headers.Count == 0)
        {
            throw new HarnessException(
                $"{path} is empty: found no header row, expected "
                    + $"{string.Join(",", SampleCsvColumns.All)}."
            );
        }
    }

    private static Dictionary<string, int> MapColumns(IReadOnlyList<string> headers, string path)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < headers.Count; index++)
        {
            columns.TryAdd(headers[index], index);
        }

        var missing = SampleCsvColumns.All.Where(name => !columns.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new HarnessException(
                $"{path} is missing the column(s) {string.Join(", ", missing)}. "
                    + $"Found header: {string.Join(",", headers)}. "
                    + $"Expected: {string.Join(",", SampleCsvColumns.All)}."
            );
        }

        return columns;
    }

    /// <summary>Parses the fields of the current row, naming the row and column on failure.
    /// </summary>
    private readonly struct RowParser(
        CsvReader csv,
        Dictionary<string, int> columns,
        string path,
        int rowNumber
    )
    {
        public ColdStartSample ToSample()
        {
            if (csv.FieldCount != csv.Headers.Count)
            {
                throw new HarnessException(
                    $"{Where()}: found {csv.FieldCount} fields, expected {csv.Headers.Count} "
                        + "(one per header column). A field containing a comma, quote or newline "
                        + "must be quoted."
                );
            }

            return new ColdStartSample
            {
                Sequence = ParseInteger(SampleCsvColumns.Sequence),
                StartedAt = ParseTimestamp(SampleCsvColumns.StartedAt),
                Workload = Required(SampleCsvColumns.Workload),
                Variant = Required(SampleCsvColumns.Variant),
                Repetition = ParseInteger(SampleCsvColumns.Repetition),
                Warmup = Field(SampleCsvColumns.Warmup) switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw Invalid(SampleCsvColumns.Warmup, "true or false"),
                },
                Status = Required(SampleCsvColumns.Status),
                PullMs = ParseMilliseconds(SampleCsvColumns.PullMs),
                CreateMs = ParseMilliseconds(SampleCsvColumns.CreateMs),
                StartMs = ParseMilliseconds(SampleCsvColumns.StartMs),
                ReadyMs = ParseMilliseconds(SampleCsvColumns.ReadyMs),
                FirstResponseMs = ParseMilliseconds(SampleCsvColumns.FirstResponseMs),
                TotalMs = ParseMilliseconds(SampleCsvColumns.TotalMs),
                BytesFetched = ParseBytes(SampleCsvColumns.BytesFetched),
                ImageBytes = ParseBytes(SampleCsvColumns.ImageBytes),
                Lazy = ParseBoolean(SampleCsvColumns.Lazy),
                Snapshotter = Optional(SampleCsvColumns.Snapshotter),
                Error = Optional(SampleCsvColumns.Error),
            };
        }

        private string Field(string column) => csv.GetString(columns[column]);

        private string? Optional(string column)
        {
            var text = Field(column);
            return text.Length == 0 ? null : text;
        }

        private string Required(string column) =>
            Optional(column) ?? throw Invalid(column, "a non-empty value");

        private int ParseInteger(string column) =>
            int.TryParse(
                Field(column),
                NumberStyles.Integer,
                CultureInfo.InvariantCulture,
                out var value
            )
                ? value
                : throw Invalid(column, "an integer");

        private long? ParseBytes(string column)
        {
            var text = Field(column);
            if (text.Length == 0)
            {
                return null;
            }

            return
                long.TryParse(
                    text,
                    NumberStyles.Integer,
                    CultureInfo.InvariantCulture,
                    out var value
                )
                && value >= 0
                ? value
                : throw Invalid(column, "a byte count (a non-negative integer) or nothing");
        }

        private double? ParseMilliseconds(string column)
        {
            var text = Field(column);
            if (text.Length == 0)
            {
                return null;
            }

            return
                double.TryParse(
                    text,
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var value
                )
                && double.IsFinite(value)
                && value >= 0
                ? value
                : throw Invalid(
                    column,
                    "a non-negative number of milliseconds such as 1234.567, or nothing"
                );
        }

        private bool? ParseBoolean(string column) =>
            Field(column) switch
            {
                "true" => true,
                "false" => false,
                "" => null,
                _ => throw Invalid(column, "true, false or nothing"),
            };

        private DateTimeOffset ParseTimestamp(string column) =>
            DateTimeOffset.TryParse(
                Field(column),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var value
            )
                ? value
                : throw Invalid(
                    column,
                    "a UTC time in ISO 8601 form such as 2026-01-31T12:00:00.000Z"
                );

        private HarnessException Invalid(string column, string expected) =>
            new($"{Where()}, column {column}: found '{Field(column)}', expected {expected}.");

        private string Where() => $"{path}: row {rowNumber} (line {csv.LineNumber})";
    }
}
