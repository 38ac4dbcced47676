using System.Globalization;
using Harness.Processes;

namespace Harness.Reporting;

/// <summary>Describes the machine the harness runs on, from <c>uname</c> and <c>/proc</c>.
/// </summary>
public static class HostProbe
{
    /// <summary>Collects the kernel, operating system, CPU model and count, and memory.</summary>
    public static async Task<HostDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        var uname = await ProcessRunner.RunAsync("uname", ["-srvm"], cancellationToken);
        return new HostDescription
        {
            Kernel = uname.StandardOutput.Trim(),
            OperatingSystem = ReadOsRelease("/etc/os-release"),
            CpuModel = ReadField("/proc/cpuinfo", "model name"),
            CpuCount = Environment.ProcessorCount,
            MemoryBytes = ParseKibibytes(ReadField("/proc/meminfo", "MemTotal")),
        };
    }

    /// <summary>Returns the value after the first "key:" line of a /proc file, or null.
    /// </summary>
    internal static string? ReadField(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == key)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Parses a /proc/meminfo value such as "16318412 kB" into bytes.</summary>
    internal static long? ParseKibibytes(string? text)
    {
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (
            parts is not { Length: 2 }
            || parts[1] != "kB"
            || !long.TryParse(
                parts[0],
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var kibibytes
            )
        )
        {
            return null;
        }

        // /proc/meminfo labels the unit "kB", but the unit is 1024 bytes.
        return kibibytes * 1024;
    }

    private static string? ReadOsRelease(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(text => text.StartsWith("PRETTY_NAME="));
        return line?["PRETTY_NAME=".Length..].Trim('"');
    }
}
