using Harness.Node;
using Harness.Tests.Infrastructure;

namespace Harness.Tests.Node;

[Collection(LocalNodeCollection.Name)]
public sealed class LocalNodeTests
{
    private const int TimeoutMs = 120_000;
    private readonly NodeFixture fixture;

    public LocalNodeTests(NodeFixture fixture) => this.fixture = fixture;

    private LocalNode Node => fixture.Node;

    [RootFact(Timeout = TimeoutMs)]
    public async Task Status_ReportsEveryComponentHealthy()
    {
        var components = await Node.GetStatusAsync(CancellationToken.None);

        Assert.Equal(NodeComponent.StartOrder.Order(), components.Select(c => c.Name).Order());
        foreach (var component in components)
        {
            Assert.True(component.Healthy, $"{component.Name}: {component.Detail}");
            Assert.NotNull(component.Pid);
        }
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task LazyPull_MountsEveryLayerRemotely()
    {
        await Node.ResetAsync(CancellationToken.None);

        await Node.Containerd.RemotePullAsync(fixture.EStargzImage, CancellationToken.None);
        var proof = await Node.ProveLazinessAsync(fixture.EStargzImage, CancellationToken.None);

        Assert.Equal(BusyboxTestImage.LayerCount, proof.LayerCount);
        Assert.Equal(BusyboxTestImage.LayerCount, proof.RemoteSnapshots);
        Assert.Equal(0, proof.LayerBlobsDownloaded);
        Assert.True(proof.IsLazy);
        Assert.Equal(NodeLayout.StargzSnapshotter, proof.Snapshotter);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task LazyPull_ServesFilesToRunningContainer()
    {
        await Node.ResetAsync(CancellationToken.None);
        await Node.Containerd.RemotePullAsync(fixture.EStargzImage, CancellationToken.None);

        await Node.Containerd.CreateContainerAsync(
            fixture.EStargzImage,
            "lazy-web",
            NodeLayout.StargzSnapshotter,
            CancellationToken.None
        );
        await Node.Containerd.StartTaskAsync("lazy-web", CancellationToken.None);
        try
        {
            var page = await GetPageAsync();
            Assert.Equal(BusyboxTestImage.Page, page);
        }
        finally
        {
            await Node.Containerd.RemoveContainerAsync("lazy-web", CancellationToken.None);
        }
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task FullPull_DownloadsEveryLayer()
    {
        await Node.ResetAsync(CancellationToken.None);

        await Node.Containerd.PullAsync(fixture.OverlayfsImage, CancellationToken.None);
        var proof = await Node.ProveLazinessAsync(fixture.OverlayfsImage, CancellationToken.None);

        Assert.Equal(BusyboxTestImage.LayerCount, proof.LayerCount);
        Assert.Equal(0, proof.RemoteSnapshots);
        Assert.Equal(BusyboxTestImage.LayerCount, proof.LayerBlobsDownloaded);
        Assert.False(proof.IsLazy);
        Assert.Equal(NodeLayout.OverlayfsSnapshotter, proof.Snapshotter);
    }

    [RootFact(Timeout = TimeoutMs)]
    public async Task Reset_LeavesNoImageContentSnapshotOrMount()
    {
        await Node.Containerd.RemotePullAsync(fixture.EStargzImage, CancellationToken.None);
        await Node.Containerd.PullAsync(fixture.OverlayfsImage, CancellationToken.None);
        await Node.Containerd.CreateContainerAsync(
            fixture.EStargzImage,
            "reset-web",
            NodeLayout.StargzSnapshotter,
            CancellationToken.None
        );
        await Node.Containerd.StartTaskAsync("reset-web", CancellationToken.None);
        Assert.NotEmpty(MountTable.Below(Node.Layout.StargzRoot));

        var duration = await Node.ResetAsync(CancellationToken.None);

        Assert.True(duration > TimeSpan.Zero);
        Assert.Empty(await Node.Containerd.ListContainersAsync(CancellationToken.None));
        Assert.Empty(await Node.Containerd.ListImagesAsync(CancellationToken.None));
        Assert.Empty(await Node.Containerd.ListContentAsync(CancellationToken.None));
        Assert.Empty(
            await Node.Containerd.ListSnapshotsAsync(
                NodeLayout.StargzSnapshotter,
                CancellationToken.None
            )
        );
        Assert.Empty(
            await Node.Containerd.ListSnapshotsAsync(
                NodeLayout.OverlayfsSnapshotter,
                CancellationToken.None
            )
        );
        Assert.Empty(MountTable.Below(Node.Layout.StargzRoot));
        Assert.Empty(MountTable.Below(Node.Layout.ContainerdRoot));
        var cacheFiles = Directory
            .EnumerateFiles(Node.Layout.StargzRoot, "*", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) != "metadata.db");
        Assert.Empty(cacheFiles);
    }

    private static async Task<string> GetPageAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await http.GetStringAsync(
                    $"http://127.0.0.1:{NodeFixture.FunctionPort}/index.html"
                );
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
