using System.Net;
using Harness.Experiments;
using Harness.Network;
using Xunit;

namespace Harness.Tests.Network;

/// <summary>Settings and addresses that a link must reject before it listens.</summary>
public sealed class RegistryLinkSettingsTests
{
    private static readonly IPEndPoint Registry = new(IPAddress.Loopback, 15299);

    public static TheoryData<double, double, double> InvalidSettings =>
        new()
        {
            { 0, 20, 0 },
            { -5, 20, 0 },
            { double.NaN, 20, 0 },
            { double.PositiveInfinity, 20, 0 },
            { 100, -1, 0 },
            { 100, double.NaN, 0 },
            { 100, 20, -0.1 },
            { 100, 20, 100 },
        };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_settings_are_rejected(double bandwidthMbit, double rttMs, double loss)
    {
        var settings = new NetworkLink
        {
            BandwidthMbit = bandwidthMbit,
            RttMs = rttMs,
            LossPercent = loss,
        };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            RegistryLink.StartAsync(
                Registry,
                settings,
                new RegistryLinkOptions { StatusPath = null },
                CancellationToken.None
            )
        );
    }

    [Fact]
    public async Task Registry_off_loopback_is_rejected()
    {
        // 0.0.0.0 is no host's address, so the check is exercised without naming a real one.
        var registry = new IPEndPoint(IPAddress.Any, 15299);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            RegistryLink.StartAsync(
                registry,
                settings: null,
                new RegistryLinkOptions { StatusPath = null },
                CancellationToken.None
            )
        );

        Assert.Contains("0.0.0.0:15299", error.Message);
    }
}
