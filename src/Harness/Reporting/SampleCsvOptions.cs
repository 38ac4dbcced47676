using CsvHelper;
using Harness.Measurement;

namespace Harness.Reporting;

/// <summary>The CSV dialect of <c>samples.csv</c> and the text form of one sample's row.</summary>
internal static class SampleCsvOptions
{
    /// <summary>RFC 4180 with LF line ends; fields are written verbatim, so an error message
    /// starting with '=' is not altered by spreadsheet-injection escaping.</summary>
    public static CsvWriterOptions Writer { get; } =
        CsvWriterOptions.Default with
        {
            Separator = ',',
            NewLine = "\n",
            Injection = CsvInjection.None,
            Quoting = CsvQuoting.WhenNeededOrWhitespace,
        };

    public static CsvReaderOptions Reader { get; } =
        CsvReaderOptions.Default with
        {
            Separator = ',',
            DetectSeparatorHint = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            SkipEmptyLines = true,
        };

    /// <summary>Returns the fields of a sample in <see cref="SampleCsvColumns.All"/> order.
    /// </summary>
    public static string[] ToFields(ColdStartSample sample) =>
        [
            CsvValueFormat.Integer(sample.Sequence),
            CsvValueFormat.Timestamp(sample.StartedAt),
            sample.Workload,
            sample.Variant,
            CsvValueFormat.Integer(sample.Repetition),
            CsvValueFormat.Boolean(sample.Warmup),
            sample.Status,
            CsvValueFormat.Milliseconds(sample.PullMs),
            CsvValueFormat.Milliseconds(sample.CreateMs),
            CsvValueFormat.Milliseconds(sample.StartMs),
            CsvValueFormat.Milliseconds(sample.ReadyMs),
            CsvValueFormat.Milliseconds(sample.FirstResponseMs),
            CsvValueFormat.Milliseconds(sample.TotalMs),
            CsvValueFormat.Integer(sample.BytesFetched),
            CsvValueFormat.Integer(sample.ImageBytes),
            CsvValueFormat.Boolean(sample.Lazy),
            sample.Snapshotter ?? "",
            sample.Error ?? "",
        ];
}
