namespace Harness.Tests.Node;

/// <summary>Runs the tests that start nodes one at a time: they share FUSE, the page cache
/// and the machine's two cores, and each restart would disturb the others' timings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "local node";
}
