using Harness.Backends.Knative;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>Reading containerd's config and the image listing of ctr.</summary>
public sealed class ContainerdFilesTests
{
    [Fact]
    public void SnapshotterFromVhiveStargzConfig()
    {
        const string config = """
            version = 2

            # Enable stargz snapshotter for CRI
            [plugins."io.containerd.grpc.v1.cri".containerd]
              snapshotter = "stargz"
              disable_snapshot_annotations = false

            [proxy_plugins]
              [proxy_plugins.stargz]
                type = "snapshot"
            """;

        Assert.Equal("stargz", ContainerdSnapshotterConfig.ParseSnapshotter(config));
    }

    [Fact]
    public void SnapshotterDefaultsToOverlayfs()
    {
        const string config = """
            version = 2
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              snapshotter = "native"
            # snapshotter = "stargz"
            """;

        Assert.Equal("overlayfs", ContainerdSnapshotterConfig.ParseSnapshotter(config));
    }

    [Theory]
    [InlineData("[plugins.cri.containerd]\n  snapshotter = \"stargz\"\n")]
    [InlineData("version = 3\n[plugins.'io.containerd.cri.v1.images']\nsnapshotter = 'stargz'\n")]
    public void SnapshotterFromOtherConfigVersions(string config)
    {
        Assert.Equal("stargz", ContainerdSnapshotterConfig.ParseSnapshotter(config));
    }

    [Fact]
    public void MissingConfigFileGivesNoSnapshotter()
    {
        Assert.Null(ContainerdSnapshotterConfig.ReadSnapshotter("/nonexistent/config.toml"));
    }

    [Fact]
    public void ListingFindsEveryNameOfTheManifest()
    {
        const string listing =
            "REF                                      TYPE                                  "
            + "                 DIGEST          SIZE     PLATFORMS   LABELS\n"
            + "127.0.0.1:5000/app:estargz               application/vnd.oci.image.index.v1+json "
            + "sha256:aaa1 40.0 MiB linux/amd64 io.cri-containerd.image=managed\n"
            + "127.0.0.1:5000/app@sha256:aaa1           application/vnd.oci.image.index.v1+json "
            + "sha256:aaa1 40.0 MiB linux/amd64 io.cri-containerd.image=managed\n"
            + "sha256:c0nf1g                            application/vnd.oci.image.index.v1+json "
            + "sha256:aaa1 40.0 MiB linux/amd64 io.cri-containerd.image=managed\n"
            + "127.0.0.1:5000/app:overlayfs             application/vnd.oci.image.index.v1+json "
            + "sha256:bbb2 41.0 MiB linux/amd64 io.cri-containerd.image=managed\n";

        var names = ContainerdImageListing.FindNamesOfSameImage(
            listing,
            "127.0.0.1:5000/app@sha256:aaa1"
        );

        Assert.Equal(
            ["127.0.0.1:5000/app:estargz", "127.0.0.1:5000/app@sha256:aaa1", "sha256:c0nf1g"],
            names
        );
    }

    [Fact]
    public void ListingWithoutTheImageFindsNothing()
    {
        const string listing = "REF TYPE DIGEST SIZE PLATFORMS LABELS\n";

        Assert.Empty(ContainerdImageListing.FindNamesOfSameImage(listing, "app:latest"));
    }
}
