using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Harness.Experiments;

namespace Harness.Network;

/// <summary>
/// The record of a running <see cref="RegistryLink"/>, kept in a file so that other harness
/// processes (<c>harness node status</c>) can report it. A record whose process has exited is
/// stale: the link died with it.
/// </summary>
public sealed record RegistryLinkStatus
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
    };

    // Start times read back from /proc differ from the recorded ones by rounding only.
    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(1);

    /// <summary>Default status file: <c>registry-link.json</c> in the harness's run folder.
    /// </summary>
    public static string DefaultPath => Path.Combine(HarnessPaths.RunRoot, "registry-link.json");

    /// <summary>Process that runs the link.</summary>
    public required int ProcessId { get; init; }

    /// <summary>Start time of that process, which distinguishes it from a later process that
    /// reuses its id.</summary>
    public required DateTimeOffset ProcessStartedAt { get; init; }

    /// <summary>Address the node pulls from, as <c>host:port</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Address of the registry behind the link, as <c>host:port</c>.</summary>
    public required string Registry { get; init; }

    /// <summary>The emulated link, or null for unshaped passthrough.</summary>
    public NetworkLink? Settings { get; init; }

    /// <summary>Time the link started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Returns the link's settings and addresses as one line for a status report.
    /// </summary>
    public string Describe()
    {
        var route = $"on {Endpoint} to the registry at {Registry}";
        if (Settings is null)
        {
            return $"unshaped {route}";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Settings.BandwidthMbit} Mbit/s, {Settings.RttMs} ms RTT, "
                + $"{Settings.LossPercent}% loss {route}"
        );
    }

    /// <summary>Reads the default status file and returns the link it records, or null when no
    /// link is running.</summary>
    public static Task<RegistryLinkStatus?> ReadActiveAsync(CancellationToken cancellationToken) =>
        ReadActiveAsync(DefaultPath, cancellationToken);

    /// <summary>Reads <paramref name="path"/> and returns the link it records, or null when the
    /// file is missing, unreadable or stale.</summary>
    public static async Task<RegistryLinkStatus?> ReadActiveAsync(
        string path,
        CancellationToken cancellationToken
    )
    {
        var status = await ReadAsync(path, cancellationToken);
        return status is not null && status.IsOwnerRunning() ? status : null;
    }

    /// <summary>Removes the default status file if the process that wrote it has exited;
    /// returns true when it removed one.</summary>
    public static Task<bool> RemoveStaleAsync(CancellationToken cancellationToken) =>
        RemoveStaleAsync(DefaultPath, cancellationToken);

    /// <summary>Removes <paramref name="path"/> if it is unreadable or the process that wrote
    /// it has exited; returns true when it removed the file.</summary>
    public static async Task<bool> RemoveStaleAsync(
        string path,
        CancellationToken cancellationToken
    )
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var status = await ReadAsync(path, cancellationToken);
        if (status is not null && status.IsOwnerRunning())
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    internal static RegistryLinkStatus ForCurrentProcess(
        IPEndPoint endpoint,
        IPEndPoint registry,
        NetworkLink? settings
    )
    {
        using var process = Process.GetCurrentProcess();
        return new RegistryLinkStatus
        {
            ProcessId = process.Id,
            ProcessStartedAt = process.StartTime.ToUniversalTime(),
            Endpoint = endpoint.ToString(),
            Registry = registry.ToString(),
            Settings = settings,
            StartedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>Writes the record to <paramref name="path"/> through a temporary file, so a
    /// reader never sees half of it.</summary>
    internal async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(
                temporary,
                JsonSerializer.Serialize(this, JsonOptions),
                cancellationToken
            );
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException(
                $"Could not record the registry link in {path}: {e.Message}. Run the harness "
                    + "as root, or set HARNESS_RUN_DIR to a writable folder.",
                e
            );
        }
    }

    private static async Task<RegistryLinkStatus?> ReadAsync(
        string path,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await using var file = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<RegistryLinkStatus>(
                file,
                JsonOptions,
                cancellationToken
            );
        }
        catch (Exception e)
            when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private bool IsOwnerRunning()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            var startedAt = new DateTimeOffset(process.StartTime.ToUniversalTime());
            return (startedAt - ProcessStartedAt).Duration() <= StartTimeTolerance;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // No process has that id, or it exited while being inspected.
            return false;
        }
    }
}
