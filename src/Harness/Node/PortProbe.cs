using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Harness.Processes;

namespace Harness.Node;

/// <summary>Checks whether a loopback TCP port is free and, if not, which process listens on it.
/// </summary>
internal static partial class PortProbe
{
    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Describes the listener on a port, such as <c>nginx (pid 812)</c>, from
    /// <c>ss</c>; returns null when <c>ss</c> cannot tell.</summary>
    public static async Task<(string Program, int Pid)?> FindHolderAsync(
        int port,
        CancellationToken cancellationToken
    )
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.TryRunAsync(
                "ss",
                ["-Hltnp", $"sport = :{port}"],
                cancellationToken
            );
        }
        catch (HarnessException)
        {
            return null;
        }

        var match = ListenerPattern().Match(result.StandardOutput);
        return match.Success
            ? (match.Groups["name"].Value, int.Parse(match.Groups["pid"].Value))
            : null;
    }

    [GeneratedRegex("users:\\(\\(\"(?<name>[^\"]+)\",pid=(?<pid>\\d+)")]
    private static partial Regex ListenerPattern();
}
