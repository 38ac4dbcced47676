using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Harness.Experiments;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>
/// A results folder for the HTML report tests: the two-variant sample fixture, optionally
/// with a manifest and small hand-made figure files, plus parsing of the written page.
/// </summary>
internal sealed class HtmlReportRun : IDisposable
{
    // A 1 x 1 PNG: signature, IHDR with width 600 (2 in at 300 dpi) and height 1, no IDAT.
    // Browsers would not draw it, but the report only copies its bytes.
    public static readonly byte[] PngBytes =
    [
        0x89,
        0x50,
        0x4E,
        0x47,
        0x0D,
        0x0A,
        0x1A,
        0x0A,
        0x00,
        0x00,
        0x00,
        0x0D,
        0x49,
        0x48,
        0x44,
        0x52,
        0x00,
        0x00,
        0x02,
        0x58,
        0x00,
        0x00,
        0x00,
        0x01,
        0x08,
        0x02,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
    ];

    public const string PhasesSvg = """
        <?xml version="1.0" encoding="utf-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="7in" height="2in" viewBox="0 0 700 200">
          <rect fill="#47A" x="10" y="10" width="300" height="50" />
        </svg>
        """;

    private readonly TemporaryFolder folder = new();

    public HtmlReportRun()
    {
        System.IO.File.Copy(
            System.IO.Path.Combine("Fixtures", "Statistics", "two-variants.csv"),
            folder.File("samples.csv")
        );
    }

    public string Path => folder.Path;

    public string ReportPath => System.IO.Path.Combine(folder.Path, "report.html");

    public string File(string name) => folder.File(name);

    /// <summary>Adds figures/phases.svg, figures/phases.png (which the SVG must win over)
    /// and figures/timeline.png.</summary>
    public async Task AddFiguresAsync()
    {
        var figures = Directory.CreateDirectory(System.IO.Path.Combine(folder.Path, "figures"));
        await System.IO.File.WriteAllTextAsync(
            System.IO.Path.Combine(figures.FullName, "phases.svg"),
            PhasesSvg
        );
        await System.IO.File.WriteAllBytesAsync(
            System.IO.Path.Combine(figures.FullName, "phases.png"),
            PngBytes
        );
        await System.IO.File.WriteAllBytesAsync(
            System.IO.Path.Combine(figures.FullName, "timeline.png"),
            PngBytes
        );
    }

    /// <summary>Writes a complete manifest with the given commit text.</summary>
    public Task AddManifestAsync(string commit = "0123456789abcdef") =>
        RunManifestFile.WriteAsync(
            folder.File("manifest.json"),
            new RunManifest
            {
                HarnessVersion = "9.8.7",
                GitCommit = commit,
                GitDirty = true,
                ExperimentFile = "experiments/hello.json",
                ExperimentSha256 = new string('a', 64),
                Experiment = JsonNode.Parse("""{"name": "hello-experiment"}""")!,
                Seed = 31337,
                Host = new HostDescription
                {
                    Kernel = "Linux 6.1.0 #1 SMP x86_64",
                    OperatingSystem = "Debian GNU/Linux 12 (bookworm)",
                    CpuModel = "Test CPU",
                    CpuCount = 4,
                    MemoryBytes = 8L * 1024 * 1024 * 1024,
                },
                Components = new Dictionary<string, string> { ["containerd"] = "1.6.20" },
                Link = new LinkReport
                {
                    Applied = new NetworkLink { BandwidthMbit = 100, RttMs = 20 },
                    Measured = new NetworkLink { BandwidthMbit = 97.5, RttMs = 20.4 },
                },
                StartedAt = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero),
                EndedAt = new DateTimeOffset(2026, 1, 31, 12, 2, 30, TimeSpan.Zero),
                Status = RunStatus.Interrupted,
            },
            CancellationToken.None
        );

    /// <summary>Parses the written page as XML, the check that it is well-formed.</summary>
    public XDocument ParseReport()
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(ReportPath, settings);
        return XDocument.Load(reader);
    }

    public void Dispose() => folder.Dispose();
}
