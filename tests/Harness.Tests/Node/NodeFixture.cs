using Harness.Native;
using Harness.Node;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Tests.Node;

/// <summary>A running test node with the busybox test image in its registry.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public const int FunctionPort = 18095;

    public LocalNode Node { get; } = new(TestNodes.Layout("shared", 15010), NullLogger.Instance);

    public string OverlayfsImage { get; private set; } = "";
    public string EStargzImage { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await Harness.Node.DebianPackages.EnsureInstalledAsync(
            ["busybox-static"],
            NullLogger.Instance,
            timeout.Token
        );
        await Node.UpAsync(timeout.Token);
        (OverlayfsImage, EStargzImage) = await BusyboxTestImage.PushAsync(
            Node,
            FunctionPort,
            timeout.Token
        );
    }

    public async Task DisposeAsync()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        await Node.DownAsync(CancellationToken.None);
    }
}
