namespace Harness.Registry;

/// <summary>Settings of an <see cref="OciLayoutPusher"/>.</summary>
public sealed record OciLayoutPushOptions
{
    /// <summary>Repositories of the same registry to mount missing blobs from (tried after
    /// the repositories this pusher has already pushed the blob to).</summary>
    public IReadOnlyList<string> MountSources { get; init; } = [];

    /// <summary>Max number of blobs sent at the same time.</summary>
    public int MaxConcurrentUploads { get; init; } = 3;
}
