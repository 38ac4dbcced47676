using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Harness.Experiments;
using Harness.Network;
using Xunit;

namespace Harness.Tests.Network;

/// <summary>The status file that lets other harness processes report a running link.</summary>
[Collection(LinkTimingCollection.Name)]
public sealed class RegistryLinkStatusTests : IDisposable
{
    private readonly string folder = Directory
        .CreateTempSubdirectory("harness-link-status-")
        .FullName;

    private string StatusPath => Path.Combine(folder, "registry-link.json");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact(Timeout = 30_000)]
    public async Task Running_link_is_reported_until_stopped()
    {
        var settings = new NetworkLink
        {
            BandwidthMbit = 100,
            RttMs = 20,
            LossPercent = 0.5,
        };
        await using var server = BlobServer.Start();
        var link = await RegistryLink.StartAsync(
            server.Endpoint,
            settings,
            new RegistryLinkOptions { StatusPath = StatusPath },
            CancellationToken.None
        );

        var status = await RegistryLinkStatus.ReadActiveAsync(StatusPath, CancellationToken.None);

        Assert.NotNull(status);
        Assert.Equal(Environment.ProcessId, status.ProcessId);
        Assert.Equal(link.Endpoint.ToString(), status.Endpoint);
        Assert.Equal(server.Endpoint.ToString(), status.Registry);
        Assert.Equal(settings, status.Settings);
        Assert.Equal(
            $"100 Mbit/s, 20 ms RTT, 0.5% loss on {link.Endpoint} to the registry at "
                + $"{server.Endpoint}",
            status.Describe()
        );

        await link.DisposeAsync();

        Assert.False(File.Exists(StatusPath));
        Assert.Null(await RegistryLinkStatus.ReadActiveAsync(StatusPath, CancellationToken.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Record_of_exited_process_is_stale()
    {
        using var exited = Process.Start("true")!;
        await exited.WaitForExitAsync();
        var record = new RegistryLinkStatus
        {
            ProcessId = exited.Id,
            ProcessStartedAt = DateTimeOffset.UtcNow,
            Endpoint = "127.0.0.1:15299",
            Registry = "127.0.0.1:15298",
            StartedAt = DateTimeOffset.UtcNow,
        };
        await File.WriteAllTextAsync(
            StatusPath,
            JsonSerializer.Serialize(record, JsonSerializerOptions.Web)
        );

        Assert.Null(await RegistryLinkStatus.ReadActiveAsync(StatusPath, CancellationToken.None));
        Assert.True(await RegistryLinkStatus.RemoveStaleAsync(StatusPath, CancellationToken.None));
        Assert.False(File.Exists(StatusPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task Record_of_running_link_is_not_removed()
    {
        await using var server = BlobServer.Start();
        await using var link = await RegistryLink.StartAsync(
            server.Endpoint,
            settings: null,
            new RegistryLinkOptions { StatusPath = StatusPath },
            CancellationToken.None
        );

        var removed = await RegistryLinkStatus.RemoveStaleAsync(StatusPath, CancellationToken.None);

        Assert.False(removed);
        Assert.True(File.Exists(StatusPath));
    }

    [Fact]
    public async Task Unreadable_record_is_stale()
    {
        await File.WriteAllTextAsync(StatusPath, "{ not json");

        Assert.True(await RegistryLinkStatus.RemoveStaleAsync(StatusPath, CancellationToken.None));
        Assert.False(File.Exists(StatusPath));
    }
}
