using Harness.Backends;
using Harness.Images;
using Harness.Reporting;

namespace Harness.Runs;

/// <summary>
/// A backend ready to measure, with the images it pulls and what must be disposed after the
/// run (the registry link on the local node).
/// </summary>
internal sealed class BackendSetup : IAsyncDisposable
{
    private readonly Func<PreparedImage, string> referenceOf;
    private readonly IAsyncDisposable? resources;

    public BackendSetup(
        IColdStartBackend backend,
        IReadOnlyDictionary<(string, ImageVariant), PreparedImage> images,
        Func<PreparedImage, string> referenceOf,
        LinkReport? link,
        IAsyncDisposable? resources
    )
    {
        Backend = backend;
        Images = images;
        this.referenceOf = referenceOf;
        Link = link;
        this.resources = resources;
    }

    public IColdStartBackend Backend { get; }

    /// <summary>Each workload's image variants, pinned by digest.</summary>
    public IReadOnlyDictionary<(string, ImageVariant), PreparedImage> Images { get; }

    /// <summary>The link between node and registry as set and measured; null on a cluster.
    /// </summary>
    public LinkReport? Link { get; }

    /// <summary>Returns the reference the backend pulls an image by.</summary>
    public string ReferenceOf(PreparedImage image) => referenceOf(image);

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        if (resources is not null)
        {
            await resources.DisposeAsync();
        }
    }
}
