using Harness.Native;
using Harness.Processes;
using Harness.Tests.Infrastructure;
using SkiaSharp;

namespace Harness.Tests.Reporting;

/// <summary>
/// Runs Debian's Chromium headless on a local file and returns its output. Chromium gets a
/// fresh profile, with its background services, DNS and proxies switched off. As root it
/// also runs in a network namespace of its own, so it can reach nothing but the file.
/// </summary>
internal static class HeadlessChromium
{
    public const string Program = "chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Loads <paramref name="page"/> with the given extra switches and returns the
    /// process output; throws when Chromium exits non-zero or runs too long.</summary>
    public static async Task<ProcessResult> RunAsync(string page, params string[] switches)
    {
        using var profile = new TemporaryFolder();
        string[] arguments =
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-proxy-server",
            // Without this, Chromium 156 still looked up clients2.google.com at start-up.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            $"--user-data-dir={profile.Path}",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            .. switches,
            new Uri(Path.GetFullPath(page)).AbsoluteUri,
        ];

        // A new network namespace has only a loopback interface that is down.
        var isolate = LibC.geteuid() == 0 && ProgramsOnPath.Contains("unshare");
        using var timeout = new CancellationTokenSource(Timeout);
        return await ProcessRunner.RunAsync(
            isolate ? "unshare" : Program,
            isolate ? ["--net", Program, .. arguments] : arguments,
            timeout.Token
        );
    }

    /// <summary>Returns the lines of Chromium's log that report a console message or an
    /// uncaught exception of <paramref name="page"/>, such as
    /// <c>[..:INFO:CONSOLE:3] "Uncaught ReferenceError: ..", source: file:///tmp/a.html (3)</c>.
    /// </summary>
    /// <remarks>Messages from other sources, such as Chromium's own pages, are left out: a
    /// busy test run once logged one at a line of the report that is a table cell.</remarks>
    public static IReadOnlyList<string> ConsoleLines(string standardError, string page)
    {
        var source = $"source: {new Uri(Path.GetFullPath(page)).AbsoluteUri} (";
        return standardError
            .Split('\n')
            .Where(line =>
                (
                    line.Contains(":CONSOLE", StringComparison.Ordinal)
                    || line.Contains("Uncaught", StringComparison.Ordinal)
                ) && line.Contains(source, StringComparison.Ordinal)
            )
            .ToList();
    }

    /// <summary>Returns the share of pixels that differ from the top-left pixel, a measure
    /// of how much the screenshot shows.</summary>
    public static double InkShare(string screenshot)
    {
        using var bitmap = SKBitmap.Decode(screenshot)
            ?? throw new InvalidDataException($"{screenshot} is not an image.");
        var background = bitmap.GetPixel(0, 0);
        var differing = 0L;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                if (bitmap.GetPixel(x, y) != background)
                {
                    differing++;
                }
            }
        }

        return (double)differing / ((long)bitmap.Width * bitmap.Height);
    }
}
