using System.Globalization;
using Harness.Native;
using Harness.Processes;

namespace Harness.Node;

/// <summary>
/// Starts and stops the node's long-running programs. Each runs in its own session so that it
/// outlives the harness command that started it, with its pid in a pid file and its output
/// appended to a log file.
/// </summary>
internal static class DaemonProcess
{
    /// <summary>Starts a program detached from this process and returns its pid.</summary>
    public static async Task<int> StartAsync(
        string program,
        IReadOnlyList<string> arguments,
        string pidFile,
        string logFile,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        File.Delete(pidFile);

        // setsid -f forks into a new session and returns at once. The shell writes its own pid
        // before exec, so the pid file names the daemon itself, not a wrapper.
        const string Script =
            "echo $$ > \"$1\"; log=\"$2\"; shift 2; " + "exec \"$@\" >>\"$log\" 2>&1 </dev/null";
        await ProcessRunner.RunAsync(
            "setsid",
            ["-f", "/bin/sh", "-c", Script, "sh", pidFile, logFile, program, .. arguments],
            cancellationToken
        );

        for (var attempt = 0; attempt < 200; attempt++)
        {
            var pid = ReadPid(pidFile);
            if (pid is not null)
            {
                return pid.Value;
            }

            await Task.Delay(5, cancellationToken);
        }

        throw new HarnessException(
            $"{program} was started but did not write its pid file {pidFile} within 1 s. "
                + $"See {logFile}."
        );
    }

    /// <summary>Reads a pid file; returns null when it is missing or not a number.</summary>
    public static int? ReadPid(string pidFile)
    {
        try
        {
            var text = File.ReadAllText(pidFile).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
        }
        catch (Exception exception)
            when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Returns true while a process with this pid exists and has not finished
    /// exiting, which includes a zombie whose other threads are still exiting.</summary>
    public static bool IsAlive(int pid)
    {
        string status;
        try
        {
            status = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception)
            when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }

        // The state is the first field after the command name, which is in parentheses and may
        // itself contain spaces or parentheses (proc(5)).
        var afterName = status.LastIndexOf(')');
        var isZombie =
            afterName >= 0 && afterName + 2 < status.Length && status[afterName + 2] == 'Z';

        // The leader of a multi-threaded process turns zombie before its other threads have
        // exited, and the files they share, listening sockets among them, close only with the
        // last thread. Until then the process keeps its ports bound.
        return !isZombie || HasOtherThreads(pid);
    }

    private static bool HasOtherThreads(int pid) => ThreadFolders(pid).Count > 1;

    /// <summary>Lists the pids of the children of every thread of a process (proc(5),
    /// /proc/PID/task/TID/children); empty once the process is gone.</summary>
    public static IReadOnlyList<int> ChildProcessIds(int pid)
    {
        var children = new List<int>();
        foreach (var thread in ThreadFolders(pid))
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(thread, "children"));
            }
            catch (IOException)
            {
                continue;
            }

            // The kernel writes only decimal pids, separated by spaces.
            var pids = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            children.AddRange(pids.Select(value => int.Parse(value, CultureInfo.InvariantCulture)));
        }

        return children;
    }

    private static List<string> ThreadFolders(int pid)
    {
        // A process that finishes exiting while its folder is listed makes the listing fail
        // with ESRCH, which .NET reports as a plain IOException, not as a missing folder.
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Returns the program name of a running process, or null.</summary>
    public static string? ProgramName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception exception)
            when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends SIGTERM, waits up to <paramref name="grace"/>, then SIGKILL. Returns once the
    /// process is gone.
    /// </summary>
    public static async Task StopAsync(int pid, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!IsAlive(pid))
        {
            return;
        }

        LibC.kill(pid, LibC.SIGTERM);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5, cancellationToken);
        }

        if (IsAlive(pid))
        {
            LibC.kill(pid, LibC.SIGKILL);
            await WaitForExitAsync(pid, cancellationToken);
        }
    }

    /// <summary>Returns once the process has finished exiting, as <see cref="IsAlive"/>
    /// defines it.</summary>
    public static async Task WaitForExitAsync(int pid, CancellationToken cancellationToken)
    {
        while (IsAlive(pid))
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Pids of processes whose command line contains every given word.</summary>
    public static IReadOnlyList<int> FindByCommandLine(params string[] words)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (
                !int.TryParse(Path.GetFileName(folder), out var pid)
                || pid == Environment.ProcessId
            )
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception exception)
                when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (words.All(word => commandLine.Contains(word, StringComparison.Ordinal)))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
