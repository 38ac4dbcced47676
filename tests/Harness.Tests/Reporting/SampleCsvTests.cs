using Harness.Measurement;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class SampleCsvTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static ColdStartSample Complete() =>
        new()
        {
            Sequence = 3,
            StartedAt = new DateTimeOffset(2026, 1, 31, 12, 0, 0, 250, TimeSpan.Zero),
            Workload = "nodejs-hello",
            Variant = "estargz",
            Repetition = 2,
            Warmup = false,
            Status = SampleStatus.Ok,
            PullMs = 1.5,
            CreateMs = 20,
            StartMs = 0.125,
            ReadyMs = 300.25,
            FirstResponseMs = 4,
            TotalMs = 1234.5678,
            BytesFetched = 5_000_000,
            ImageBytes = 40_000_000,
            Lazy = true,
            Snapshotter = "stargz",
        };

    private static ColdStartSample Failed() =>
        new()
        {
            Sequence = 4,
            StartedAt = new DateTimeOffset(2026, 1, 31, 12, 0, 1, TimeSpan.Zero),
            Workload = "nodejs-hello",
            Variant = "overlayfs",
            Repetition = 0,
            Warmup = true,
            Status = SampleStatus.Failed,
            PullMs = 10,
            Error = "pull failed: \"unauthorized\", retry 3,\nthen gave up at C:\\path\\ =1+2",
        };

    [Fact]
    public void WriterFormatsRowInvariantly()
    {
        var path = folder.File("samples.csv");
        using (var writer = SampleCsvWriter.Create(path))
        {
            writer.Append(Complete());
        }

        var lines = File.ReadAllLines(path);

        // Milliseconds with three decimals (1234.5678 rounds to 1234.568), booleans in lower
        // case, time in UTC with milliseconds, empty error.
        Assert.Equal(string.Join(",", SampleCsvColumns.All), lines[0]);
        Assert.Equal(
            "3,2026-01-31T12:00:00.250Z,nodejs-hello,estargz,2,false,ok,"
                + "1.500,20.000,0.125,300.250,4.000,1234.568,5000000,40000000,true,stargz,",
            lines[1]
        );
    }

    [Fact]
    public void NullsAreWrittenAsEmptyFields()
    {
        var path = folder.File("samples.csv");
        var sample = Failed() with { Error = null };
        using (var writer = SampleCsvWriter.Create(path))
        {
            writer.Append(sample);
        }

        var row = File.ReadAllLines(path)[1];

        Assert.Equal(
            "4,2026-01-31T12:00:01.000Z,nodejs-hello,overlayfs,0,true,failed," + "10.000,,,,,,,,,,",
            row
        );
    }

    [Fact]
    public void RoundTripKeepsNullsAndErrorText()
    {
        var path = folder.File("samples.csv");
        var expected = new[] { Complete() with { TotalMs = 1234.568 }, Failed() };
        using (var writer = SampleCsvWriter.Create(path))
        {
            foreach (var sample in expected)
            {
                writer.Append(sample);
            }
        }

        var actual = SampleCsvReader.Read(path);

        Assert.Equal(expected.Length, actual.Count);
        Assert.Equal(expected[0], actual[0]);
        Assert.Equal(expected[1], actual[1]);
        Assert.Null(actual[1].TotalMs);
        Assert.Null(actual[1].Lazy);
        Assert.Equal(expected[1].Error, actual[1].Error);
    }

    [Fact]
    public void ReopenAppendsWithoutSecondHeader()
    {
        var path = folder.File("samples.csv");
        using (var writer = SampleCsvWriter.Create(path))
        {
            writer.Append(Complete());
        }

        using (var writer = SampleCsvWriter.OpenForAppend(path))
        {
            writer.Append(Failed());
        }

        var samples = SampleCsvReader.Read(path);
        var headerLines = File.ReadAllLines(path).Count(line => line.StartsWith("sequence,"));

        Assert.Equal(2, samples.Count);
        Assert.Equal(3, samples[0].Sequence);
        Assert.Equal(4, samples[1].Sequence);
        Assert.Equal(1, headerLines);
    }

    [Fact]
    public void RowIsOnDiskBeforeDispose()
    {
        var path = folder.File("samples.csv");
        using var writer = SampleCsvWriter.Create(path);

        writer.Append(Complete());
        var samples = SampleCsvReader.Read(path);

        Assert.Single(samples);
    }

    [Fact]
    public void OpenForAppendCreatesMissingFile()
    {
        var path = folder.File("samples.csv");
        using (var writer = SampleCsvWriter.OpenForAppend(path))
        {
            writer.Append(Complete());
        }

        Assert.Single(SampleCsvReader.Read(path));
    }

    [Fact]
    public void CreateRejectsExistingFile()
    {
        var path = folder.File("samples.csv");
        File.WriteAllText(path, "anything\n");

        var error = Assert.Throws<HarnessException>(() => SampleCsvWriter.Create(path));

        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public void AppendRejectsMismatchedHeader()
    {
        var path = folder.File("samples.csv");
        File.WriteAllText(path, "sequence,workload,total_ms\n0,hello,12.000\n");

        var error = Assert.Throws<HarnessException>(() => SampleCsvWriter.OpenForAppend(path));

        Assert.Contains("Found: sequence,workload,total_ms", error.Message);
        Assert.Contains("Expected: " + string.Join(",", SampleCsvColumns.All), error.Message);
    }

    [Fact]
    public void AppendRejectsCutOffLastRow()
    {
        var path = folder.File("samples.csv");
        File.WriteAllText(path, string.Join(",", SampleCsvColumns.All) + "\n3,2026-01-31T12");

        var error = Assert.Throws<HarnessException>(() => SampleCsvWriter.OpenForAppend(path));

        Assert.Contains("last row is incomplete", error.Message);
    }

    [Fact]
    public void ReaderNamesRowColumnAndValue()
    {
        var path = folder.File("samples.csv");
        using (var writer = SampleCsvWriter.Create(path))
        {
            writer.Append(Complete());
        }

        var text = File.ReadAllText(path);
        File.AppendAllText(path, text.Split('\n')[1].Replace("1234.568", "12,5") + "\n");

        var error = Assert.Throws<HarnessException>(() => SampleCsvReader.Read(path));

        // "12,5" splits the row into one field too many.
        Assert.Contains("row 2 (line 3)", error.Message);
        Assert.Contains("found 19 fields, expected 18", error.Message);
    }

    [Fact]
    public void ReaderRejectsNonNumericDuration()
    {
        var path = folder.File("samples.csv");
        using (var writer = SampleCsvWriter.Create(path))
        {
            writer.Append(Complete());
        }

        var text = File.ReadAllText(path).Replace("1234.568", "slow");
        File.WriteAllText(path, text);

        var error = Assert.Throws<HarnessException>(() => SampleCsvReader.Read(path));

        Assert.Contains("row 1 (line 2), column total_ms", error.Message);
        Assert.Contains("found 'slow'", error.Message);
        Assert.Contains("expected a non-negative number of milliseconds", error.Message);
    }

    [Fact]
    public void ReaderRejectsBadBoolean()
    {
        var path = folder.File("samples.csv");
        using (var writer = SampleCsvWriter.Create(path))
        {
            writer.Append(Complete());
        }

        File.WriteAllText(path, File.ReadAllText(path).Replace(",2,false,ok,", ",2,no,ok,"));

        var error = Assert.Throws<HarnessException>(() => SampleCsvReader.Read(path));

        Assert.Contains("column warmup: found 'no', expected true or false", error.Message);
    }

    [Fact]
    public void ReaderListsMissingColumns()
    {
        var path = folder.File("samples.csv");
        var header = SampleCsvColumns.All.Where(name => name != "lazy" && name != "error");
        File.WriteAllText(path, string.Join(",", header) + "\n");

        var error = Assert.Throws<HarnessException>(() => SampleCsvReader.Read(path));

        Assert.Contains("missing the column(s) lazy, error", error.Message);
    }

    [Fact]
    public void ReaderReportsUnclosedQuote()
    {
        var path = folder.File("samples.csv");
        File.WriteAllText(path, string.Join(",", SampleCsvColumns.All) + "\n\"0,2026\n");

        var error = Assert.Throws<HarnessException>(() => SampleCsvReader.Read(path));

        Assert.Contains("is not valid CSV", error.Message);
    }

    [Fact]
    public void ReaderRejectsMissingFile()
    {
        var error = Assert.Throws<HarnessException>(() =>
            SampleCsvReader.Read(folder.File("samples.csv"))
        );

        Assert.Contains("No samples file", error.Message);
    }
}
