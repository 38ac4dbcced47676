using CsvHelper;
using Harness.Measurement;
using Harness.Statistics;

namespace Harness.Reporting;

/// <summary>Writes a <see cref="RunSummary"/> to <c>summary.csv</c>, replacing it atomically.
/// </summary>
public static class SummaryCsvWriter
{
    /// <summary>Writes the summary to <paramref name="path"/>.</summary>
    public static Task WriteAsync(string path, RunSummary summary, CancellationToken token) =>
        AtomicFile.WriteAsync(
            path,
            (stream, _) =>
            {
                using var csv = CsvWriter.Create(stream, SampleCsvOptions.Writer, leaveOpen: true);
                csv.WriteHeader(SummaryCsvColumns.All.ToArray());
                foreach (var variant in summary.Variants)
                {
                    foreach (var phase in variant.Phases)
                    {
                        foreach (var field in ToFields(variant, phase))
                        {
                            csv.WriteField(field);
                        }

                        csv.EndRecord();
                    }
                }

                csv.Flush();
                return Task.CompletedTask;
            },
            token
        );

    private static string[] ToFields(VariantSummary variant, PhaseStatistics phase)
    {
        var isTotal = phase.Phase == Phase.Total;
        var speedup = isTotal ? variant.Speedup : null;
        return
        [
            variant.Workload,
            variant.Variant,
            phase.Phase,
            CsvValueFormat.Integer(phase.Count),
            CsvValueFormat.Integer(variant.FailedCount),
            CsvValueFormat.Integer(variant.WarmupCount),
            CsvValueFormat.Milliseconds(phase.Median),
            CsvValueFormat.Milliseconds(phase.MedianInterval?.Lower),
            CsvValueFormat.Milliseconds(phase.MedianInterval?.Upper),
            CsvValueFormat.Milliseconds(phase.P95),
            CsvValueFormat.Milliseconds(phase.P95Interval?.Lower),
            CsvValueFormat.Milliseconds(phase.P95Interval?.Upper),
            CsvValueFormat.Milliseconds(phase.Mean),
            CsvValueFormat.Milliseconds(phase.StandardDeviation),
            CsvValueFormat.Milliseconds(phase.Min),
            CsvValueFormat.Milliseconds(phase.Max),
            CsvValueFormat.Number(speedup?.Ratio, 3),
            CsvValueFormat.Number(speedup?.Interval?.Lower, 3),
            CsvValueFormat.Number(speedup?.Interval?.Upper, 3),
            CsvValueFormat.Number(speedup?.MannWhitneyPValue, 6),
            isTotal ? CsvValueFormat.Number(variant.RelativeSpread, 3) : "",
            isTotal ? CsvValueFormat.Boolean(variant.Noisy) : "",
            isTotal ? CsvValueFormat.Milliseconds(variant.MeanPhaseGapMs) : "",
        ];
    }
}
