using Harness.Backends.Knative;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>Parsing of kubelet's Pulled messages and Go durations.</summary>
public sealed class KubeletMessageTests
{
    [Theory]
    [InlineData("1.5s", 1500.0)]
    [InlineData("523.4ms", 523.4)]
    [InlineData("1m2.5s", 62_500.0)]
    [InlineData("2h", 7_200_000.0)]
    [InlineData("850\u00b5s", 0.85)]
    [InlineData("850\u03bcs", 0.85)]
    [InlineData("850us", 0.85)]
    [InlineData("1500000ns", 1.5)]
    [InlineData("0s", 0.0)]
    [InlineData("0", 0.0)]
    public void GoDurationParsesUnits(string text, double expectedMs)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(expectedMs, duration.TotalMilliseconds, precision: 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData("1.5 s")]
    [InlineData("3d")]
    public void GoDurationRejectsOtherText(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Fact]
    public void PullReportReadsKubelet130Message()
    {
        var report = KubeletPullReport.Parse(
            "Successfully pulled image \"registry.example/app@sha256:ab\" in 1.234s "
                + "(2.5s including waiting). Image size: 41943040 bytes."
        );

        Assert.NotNull(report);
        Assert.Equal("registry.example/app@sha256:ab", report.Image);
        Assert.Equal(1234, report.PullDuration!.Value.TotalMilliseconds, precision: 6);
        Assert.Equal(2500, report.DurationIncludingWaiting!.Value.TotalMilliseconds, precision: 6);
        Assert.Equal(41_943_040, report.ImageSizeBytes);
        Assert.False(report.AlreadyPresent);
    }

    [Fact]
    public void PullReportReadsKubelet128Message()
    {
        var report = KubeletPullReport.Parse(
            "Successfully pulled image \"node:17\" in 812.5ms (812.5ms including waiting)"
        );

        Assert.NotNull(report);
        Assert.Equal(812.5, report.PullDuration!.Value.TotalMilliseconds, precision: 6);
        Assert.Null(report.ImageSizeBytes);
    }

    [Fact]
    public void PullReportReadsOlderMessageWithoutWaiting()
    {
        var report = KubeletPullReport.Parse("Successfully pulled image \"node:17\" in 1m3.25s");

        Assert.NotNull(report);
        Assert.Equal(63_250, report.PullDuration!.Value.TotalMilliseconds, precision: 6);
        Assert.Null(report.DurationIncludingWaiting);
    }

    [Fact]
    public void PullReportRecognisesImageAlreadyPresent()
    {
        var report = KubeletPullReport.Parse(
            "Container image \"node:17\" already present on machine"
        );

        Assert.NotNull(report);
        Assert.True(report.AlreadyPresent);
        Assert.Null(report.PullDuration);
    }

    [Theory]
    [InlineData("Pulling image \"node:17\"")]
    [InlineData("Created container user-container")]
    [InlineData(null)]
    public void PullReportIgnoresOtherMessages(string? message)
    {
        Assert.Null(KubeletPullReport.Parse(message));
    }
}
