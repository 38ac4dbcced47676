using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Images;

/// <summary>
/// Reads the paths a traced program opened or executed from an <c>strace -f -y</c> log, in
/// the order of the calls.
/// </summary>
public static partial class StraceLogParser
{
    /// <summary>
    /// Returns the calls, with absolute paths as the program saw them inside
    /// <paramref name="rootOnHost"/>, of every open and exec of processes other than
    /// <paramref name="ignoredProcessId"/>.
    /// Relative paths are resolved against the directory descriptor that <c>-y</c> prints.
    /// </summary>
    /// <param name="lines">Lines of the log.</param>
    /// <param name="rootOnHost">The traced program's root folder as a host path, which
    /// <c>-y</c> prints in front of descriptor paths.</param>
    /// <param name="ignoredProcessId">Process whose calls are skipped (the launcher), or null
    /// to keep all.</param>
    public static IReadOnlyList<TracedFileAccess> ReadAccesses(
        IEnumerable<string> lines,
        string rootOnHost,
        int? ignoredProcessId
    )
    {
        var root = rootOnHost.TrimEnd('/');
        var accesses = new List<TracedFileAccess>();
        foreach (var line in lines)
        {
            var match = CallPattern().Match(line);
            if (!match.Success)
            {
                continue;
            }

            if (
                ignoredProcessId is { } ignored
                && int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture) == ignored
            )
            {
                continue;
            }

            var arguments = match.Groups["arguments"].Value;
            var call = match.Groups["call"].Value;
            string? directory = null;
            if (call is "openat" or "openat2" or "execveat")
            {
                // The first argument is the directory descriptor, printed as N</path> by -y.
                var descriptor = DescriptorPattern().Match(arguments);
                if (!descriptor.Success)
                {
                    continue;
                }

                directory = descriptor.Groups["path"].Success
                    ? ToImagePath(Unescape(descriptor.Groups["path"].Value), root)
                    : null;
                arguments = arguments[descriptor.Length..];
            }

            var quoted = QuotedPattern().Match(arguments);
            if (!quoted.Success)
            {
                continue;
            }

            var path = Unescape(quoted.Groups["text"].Value);
            if (path.Length == 0)
            {
                continue;
            }

            if (!path.StartsWith('/'))
            {
                if (directory is null)
                {
                    continue;
                }

                path = directory.TrimEnd('/') + "/" + path;
            }

            accesses.Add(new TracedFileAccess(call, path));
        }

        return accesses;
    }

    private static string? ToImagePath(string hostPath, string root)
    {
        if (hostPath == root)
        {
            return "/";
        }

        return hostPath.StartsWith(root + "/", StringComparison.Ordinal)
            ? hostPath[root.Length..]
            : null;
    }

    /// <summary>Decodes the C-style escapes strace uses in strings: \n, \t, \", \\, \ooo, \xhh.
    /// </summary>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\'))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 'n':
                    bytes.Add((byte)'\n');
                    break;
                case 't':
                    bytes.Add((byte)'\t');
                    break;
                case 'r':
                    bytes.Add((byte)'\r');
                    break;
                case 'v':
                    bytes.Add((byte)'\v');
                    break;
                case 'f':
                    bytes.Add((byte)'\f');
                    break;
                case 'x' when IsHex(text, i + 1, 2):
                    bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    var length = 1;
                    while (
                        length < 3
                        && i + length < text.Length
                        && text[i + length] is >= '0' and <= '7'
                    )
                    {
                        length++;
                    }

                    bytes.Add((byte)Convert.ToInt32(text.Substring(i, length), 8));
                    i += length - 1;
                    break;
                default:
                    bytes.AddRange(Encoding.UTF8.GetBytes(next.ToString()));
                    break;
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsHex(string text, int start, int count) =>
        start + count <= text.Length && text.Substring(start, count).All(char.IsAsciiHexDigit);

    // "PID call(arguments", also as "[pid N] call(". Resumed halves carry no path.
    [GeneratedRegex(
        @"^(?:\[pid\s+)?(?<pid>\d+)\]?\s+"
            + @"(?<call>open|openat|openat2|creat|execve|execveat)\((?<arguments>.*)$"
    )]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^(?:AT_FDCWD|-?\d+)(?:<(?<path>(?:[^>\\]|\\.)*)>)?,\s*")]
    private static partial Regex DescriptorPattern();

    [GeneratedRegex(@"^""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex QuotedPattern();
}
