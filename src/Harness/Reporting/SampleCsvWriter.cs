using CsvHelper;
using Harness.Measurement;

namespace Harness.Reporting;

/// <summary>
/// Appends cold-start samples to <c>samples.csv</c>, one row per sample. Each row is flushed
/// and synced to disk before <see cref="Append"/> returns, so a crash or Ctrl-C loses at most
/// the sample in flight and a run can resume from the file.
/// </summary>
public sealed class SampleCsvWriter : IDisposable
{
    private readonly FileStream stream;
    private readonly CsvWriter csv;
    private readonly Lock gate = new();

    private SampleCsvWriter(string path, FileStream stream, bool writeHeader)
    {
        Path = path;
        this.stream = stream;
        csv = CsvWriter.Create(stream, SampleCsvOptions.Writer, leaveOpen: true);
        if (writeHeader)
        {
            csv.WriteHeader(SampleCsvColumns.All.ToArray());
            FlushToDisk();
        }
    }

    /// <summary>Path of the file being written.</summary>
    public string Path { get; }

    /// <summary>Creates a new <c>samples.csv</c> with its header; fails if the file exists.
    /// </summary>
    public static SampleCsvWriter Create(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException exception) when (File.Exists(path))
        {
            throw new HarnessException(
                $"Cannot start {path}: the file already exists. Resume the run that wrote it, "
                    + "or choose a new results folder.",
                exception
            );
        }

        return new SampleCsvWriter(path, stream, writeHeader: true);
    }

    /// <summary>
    /// Opens an existing <c>samples.csv</c> to append rows after checking that its header
    /// matches <see cref="SampleCsvColumns.All"/>; an empty or missing file gets the header.
    /// </summary>
    public static SampleCsvWriter OpenForAppend(string path)
    {
        var existingLength = File.Exists(path) ? new FileInfo(path).Length : 0;
        if (existingLength > 0)
        {
            CheckHeader(path);
            CheckEndsWithNewline(path);
        }

        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new SampleCsvWriter(path, stream, writeHeader: existingLength == 0);
    }

    /// <summary>Writes one sample as a row and syncs it to disk.</summary>
    public void Append(ColdStartSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var fields = SampleCsvOptions.ToFields(sample);
        lock (gate)
        {
            foreach (var field in fields)
            {
                csv.WriteField(field);
            }

            csv.EndRecord();
            FlushToDisk();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            csv.Dispose();
            stream.Dispose();
        }
    }

    private void FlushToDisk()
    {
        csv.Flush();

        // fsync, so the row survives a power loss or a kernel panic on the node under test.
        stream.Flush(flushToDisk: true);
    }

    private static void CheckHeader(string path)
    {
        var header = SampleCsvReader.ReadHeader(path);
        if (!header.SequenceEqual(SampleCsvColumns.All, StringComparer.Ordinal))
        {
            throw new HarnessException(
                $"Cannot append to {path}: its header does not match this version of the "
                    + $"harness. Found: {string.Join(",", header)}. "
                    + $"Expected: {string.Join(",", SampleCsvColumns.All)}. "
                    + "Start a new results folder instead of resuming into this one."
            );
        }
    }

    private static void CheckEndsWithNewline(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() != '\n')
        {
            // A row is written in one piece and synced, so a missing final newline means the
            // process died while writing it. Appending would glue the next row onto it.
            throw new HarnessException(
                $"Cannot append to {path}: the last row is incomplete (the file does not end "
                    + "with a newline), so the sample being written when the run stopped was cut "
                    + "off. Delete that last line, then resume."
            );
        }
    }
}
