using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CliWrap;
using Harness.Node;
using Harness.Processes;
using Harness.Workloads;

namespace Harness.Images;

/// <summary>
/// Records which files a workload reads while it starts: runs its entrypoint under
/// <c>strace</c> in a chroot of the image's merged layers until its readiness request
/// succeeds, then stops it. The result, in order of first access, is what the optimized
/// eStargz variant prioritizes.
/// </summary>
public sealed class StartupRecorder
{
    /// <summary>Version of the recording method, part of every recording's and
    /// optimized image's cache key.</summary>
    public const string FormatVersion = "harness-startup-v2";

    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // Device files every container runtime creates in /dev (OCI runtime spec, "Default
    // Devices"), which the cleaned image lacks. Name, major, minor.
    private static readonly (string Name, int Major, int Minor)[] DefaultDevices =
    [
        ("null", 1, 3),
        ("zero", 1, 5),
        ("full", 1, 7),
        ("random", 1, 8),
        ("urandom", 1, 9),
        ("tty", 5, 0),
    ];

    private readonly string _cacheFolder;
    private readonly string _workFolder;
    private readonly IProgress<string>? _progress;

    /// <summary>Creates a recorder that caches recordings below <paramref name="cacheRoot"/>.
    /// </summary>
    public StartupRecorder(string cacheRoot, IProgress<string>? progress)
    {
        _cacheFolder = Path.Combine(cacheRoot, "startup-records");
        _workFolder = Path.Combine(cacheRoot, "work");
        _progress = progress;
    }

    /// <summary>
    /// Returns the image paths (absolute, symbolic links resolved) of the regular files the
    /// workload opened or executed until it was ready, recording them if no recording with
    /// <paramref name="inputKey"/> is cached.
    /// </summary>
    /// <param name="workload">Entrypoint, environment, port and readiness path.</param>
    /// <param name="layerRoots">Root trees of the image's layers, uppermost first. Each is a
    /// complete tree of the files that layer adds, as overlayfs lower folders.</param>
    /// <param name="inputKey">Key of the layer contents, part of the cache key.</param>
    /// <param name="cancellationToken">Cancels the recording and stops the workload.</param>
    public async Task<IReadOnlyList<string>> GetStartupFilesAsync(
        WorkloadManifest workload,
        IReadOnlyList<string> layerRoots,
        string inputKey,
        CancellationToken cancellationToken
    )
    {
        var key = ContentKey.Of(
            FormatVersion,
            inputKey,
            string.Join('\0', workload.Entrypoint),
            string.Join('\0', OciImageWriter.EnvironmentOf(workload)),
            workload.WorkingDirectory,
            workload.Port.ToString(CultureInfo.InvariantCulture),
            workload.ReadinessPath
        );
        var cachePath = Path.Combine(_cacheFolder, $"{workload.Name}-{key}.json");
        if (File.Exists(cachePath))
        {
            await using var cached = File.OpenRead(cachePath);
            return await JsonSerializer.DeserializeAsync<List<string>>(
                cached,
                cancellationToken: cancellationToken
            ) ?? [];
        }

        var files = await RecordAsync(workload, layerRoots, cancellationToken);
        Directory.CreateDirectory(_cacheFolder);
        var temporary = cachePath + $".partial-{Environment.ProcessId}";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(files), cancellationToken);
        File.Move(temporary, cachePath, overwrite: true);
        return files;
    }

    private async Task<IReadOnlyList<string>> RecordAsync(
        WorkloadManifest workload,
        IReadOnlyList<string> layerRoots,
        CancellationToken cancellationToken
    )
    {
        var strace = FindTool("strace", "strace");
        var unshare = FindTool("unshare", "util-linux");
        if (!Environment.IsPrivilegedProcess)
        {
            throw new HarnessException(
                "Recording a workload's start needs root (overlay mount and chroot). Run the "
                    + "harness as root or with sudo."
            );
        }

        EnsurePortIsFree(workload);
        var folder = Path.Combine(_workFolder, $"record-{workload.Name}-{Guid.NewGuid():N}");
        var merged = Path.Combine(folder, "merged");
        var upper = Path.Combine(folder, "upper");
        var work = Path.Combine(folder, "work");
        Directory.CreateDirectory(merged);
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        var mounted = false;
        try
        {
            // The layers stay read-only below a scratch upper folder, as in a container.
            await ProcessRunner.RunAsync(
                "mount",
                [
                    "-t",
                    "overlay",
                    "overlay",
                    "-o",
                    $"lowerdir={string.Join(':', layerRoots)},upperdir={upper},workdir={work}",
                    merged,
                ],
                cancellationToken
            );
            mounted = true;
            await CreateDevicesAsync(merged, cancellationToken);

            _progress?.Report(
                $"Recording the start of {workload.Name} under strace until "
                    + $"http://127.0.0.1:{workload.Port}{workload.ReadinessPath} answers"
            );
            var log = Path.Combine(folder, "strace.log");
            var started = Stopwatch.StartNew();
            await TraceUntilReadyAsync(workload, strace, unshare, merged, log, cancellationToken);
            var accesses = StraceLogParser.ReadAccesses(
                await File.ReadAllLinesAsync(log, cancellationToken),
                merged,
                await ReadLauncherProcessIdAsync(log, cancellationToken)
            );
            var files = ToRegularFiles(merged, accesses);
            _progress?.Report(
                $"{workload.Name} read {files.Count} files before it was ready "
                    + $"({started.Elapsed.TotalSeconds:F1} s under strace)"
            );
            return files;
        }
        finally
        {
            if (mounted)
            {
                await ProcessRunner.TryRunAsync("umount", [merged], CancellationToken.None);
            }

            await TreeFiles.TryDeleteWithinFileSystemAsync(folder);
        }
    }

    private static async Task TraceUntilReadyAsync(
        WorkloadManifest workload,
        string strace,
        string unshare,
        string merged,
        string log,
        CancellationToken cancellationToken
    )
    {
        // env -i gives the traced program exactly the image's environment. unshare makes a
        // PID namespace whose init is the workload, and --kill-child ends that namespace when
        // unshare dies, which is how the workload is stopped below.
        var arguments = new List<string> { "-i" };
        arguments.AddRange(OciImageWriter.EnvironmentOf(workload));
        arguments.AddRange([
            strace,
            "-f",
            "-qq",
            "-y",
            "-s",
            "4096",
            "-o",
            log,
            "-e",
            "trace=open,openat,openat2,creat,execve,execveat",
            unshare,
            "--pid",
            "--kill-child",
            "--mount-proc",
            $"--root={merged}",
            $"--wd={workload.WorkingDirectory}",
            "--",
        ]);
        arguments.AddRange(workload.Entrypoint);

        var output = new StringBuilder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // CliWrap directly rather than ProcessRunner, because the trace must be stopped while
        // it runs and that needs the process ID of strace.
        var command = Cli.Wrap("env")
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .ExecuteAsync(stop.Token);
        var ready = false;
        try
        {
            ready = await WaitUntilReadyAsync(workload, command.Task, cancellationToken);
        }
        finally
        {
            StopTracedWorkload(command.ProcessId);
            try
            {
                await command.Task.WaitAsync(StopTimeout, CancellationToken.None);
            }
            catch (Exception exception)
                when (exception is TimeoutException or OperationCanceledException)
            {
                stop.Cancel();
            }
        }

        if (!ready)
        {
            throw new HarnessException(
                $"{workload.Name} did not answer http://127.0.0.1:{workload.Port}"
                    + $"{workload.ReadinessPath} while its start was recorded (timeout "
                    + $"{ReadinessTimeout.TotalSeconds:F0} s, or it exited). Its output:\n"
                    + Tail(output.ToString())
                    + "\nCheck the entrypoint and port in workload.json."
            );
        }
    }

    private static async Task<bool> WaitUntilReadyAsync(
        WorkloadManifest workload,
        Task process,
        CancellationToken cancellationToken
    )
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var url = new Uri($"http://127.0.0.1:{workload.Port}{workload.ReadinessPath}");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadinessTimeout && !process.IsCompleted)
        {
            try
            {
                using var response = await client.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request timed out, but the workload may still be starting.
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return false;
    }

    /// <summary>Kills the children of the unshare process below strace. The workload is the init
    /// of its PID namespace, so the kernel then kills every other process in it.</summary>
    private static void StopTracedWorkload(int stracePid)
    {
        var unsharePids = DaemonProcess.ChildProcessIds(stracePid);
        foreach (var childPid in unsharePids.SelectMany(DaemonProcess.ChildProcessIds))
        {
            try
            {
                using var child = Process.GetProcessById(childPid);
                child.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private static async Task<int?> ReadLauncherProcessIdAsync(
        string log,
        CancellationToken cancellationToken
    )
    {
        // The first traced call is unshare's own execve, and its process only starts the workload.
        using var reader = new StreamReader(log);
        var first = await reader.ReadLineAsync(cancellationToken);
        var digits = new string((first ?? "").TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length > 0 ? int.Parse(digits, CultureInfo.InvariantCulture) : null;
    }

    private static List<string> ToRegularFiles(
        string merged,
        IReadOnlyList<TracedFileAccess> accesses
    )
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var access in accesses)
        {
            var file = ResolveRegularFile(merged, access.Path);
            if (file is null || !seen.Add(file))
            {
                continue;
            }

            files.Add("/" + file);

            // The kernel maps the dynamic loader of an executed program itself, so no traced
            // call shows it, yet it is read first.
            var interpreter = access.IsExecute
                ? ElfInterpreter.Read(Path.Combine(merged, file))
                : null;
            var loader = interpreter is null ? null : ResolveRegularFile(merged, interpreter);
            if (loader is not null && seen.Add(loader))
            {
                files.Add("/" + loader);
            }
        }

        return files;
    }

    /// <summary>Returns the relative path of the regular file that <paramref name="path"/>
    /// names inside the image, or null for anything else.</summary>
    private static string? ResolveRegularFile(string merged, string path)
    {
        if (
            path.StartsWith("/proc/", StringComparison.Ordinal)
            || path.StartsWith("/sys/", StringComparison.Ordinal)
            || path.StartsWith("/dev/", StringComparison.Ordinal)
        )
        {
            return null;
        }

        var resolved = ImagePathResolver.Resolve(merged, path);
        if (resolved.Count == 0)
        {
            return null;
        }

        var target = resolved[^1];
        return
            NativeFileStatus.Stat(Path.Combine(merged, target)).Type
            == FileTreeEntryType.RegularFile
            ? target
            : null;
    }

    private static async Task CreateDevicesAsync(string merged, CancellationToken cancellationToken)
    {
        var devices = Path.Combine(merged, "dev");
        Directory.CreateDirectory(devices);
        foreach (var (name, major, minor) in DefaultDevices)
        {
            var path = Path.Combine(devices, name);
            if (!Path.Exists(path))
            {
                await ProcessRunner.RunAsync(
                    "mknod",
                    [
                        "-m",
                        "666",
                        path,
                        "c",
                        major.ToString(CultureInfo.InvariantCulture),
                        minor.ToString(CultureInfo.InvariantCulture),
                    ],
                    cancellationToken
                );
            }
        }
    }

    private static void EnsurePortIsFree(WorkloadManifest workload)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, workload.Port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException exception)
        {
            throw new HarnessException(
                $"Cannot record the start of {workload.Name}: port {workload.Port} on 127.0.0.1 "
                    + $"is in use ({exception.SocketErrorCode}). Stop what listens there and run "
                    + "the command again.",
                exception
            );
        }
    }

    private static string FindTool(string program, string package)
    {
        foreach (var folder in new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" })
        {
            var path = Path.Combine(folder, program);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new HarnessException(
            $"{program} was not found in /usr/bin, /bin, /usr/sbin or /sbin; the optimized "
                + $"eStargz variant needs it to record the workload's start. Install it with "
                + $"'apt-get install {package}' and run the command again."
        );
    }

    private static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join('\n', lines.TakeLast(20));
    }
}
