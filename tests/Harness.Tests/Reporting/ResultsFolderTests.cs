using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class ResultsFolderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void CreateNamesFolderByUtcTime()
    {
        var startedAt = new DateTimeOffset(2026, 1, 31, 14, 5, 9, TimeSpan.FromHours(2));

        var results = ResultsFolder.Create(folder.Path, "nodejs", startedAt);

        // 14:05:09 at UTC+2 is 12:05:09 UTC.
        Assert.Equal(Path.Combine(folder.Path, "nodejs", "20260131T120509Z"), results.Path);
        Assert.True(Directory.Exists(results.Path));
        Assert.Equal(Path.Combine(results.Path, "samples.csv"), results.SamplesPath);
    }

    [Fact]
    public void CreateRejectsExistingFolder()
    {
        var startedAt = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        ResultsFolder.Create(folder.Path, "nodejs", startedAt);

        Assert.Throws<HarnessException>(() =>
            ResultsFolder.Create(folder.Path, "nodejs", startedAt)
        );
    }

    [Fact]
    public void OpenRequiresSamplesFile()
    {
        var error = Assert.Throws<HarnessException>(() => ResultsFolder.Open(folder.Path));

        Assert.Contains("contains no samples.csv", error.Message);
    }

    [Fact]
    public void OpenRejectsMissingFolder()
    {
        var error = Assert.Throws<HarnessException>(() =>
            ResultsFolder.Open(folder.File("absent"))
        );

        Assert.Contains("Results folder not found", error.Message);
    }
}
