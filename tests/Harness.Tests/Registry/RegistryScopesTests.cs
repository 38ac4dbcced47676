using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class RegistryScopesTests
{
    [Fact]
    public void MergeJoinsActionsOfSameRepository()
    {
        var merged = RegistryScopes.Merge([
            "repository:app:push",
            "repository:app:pull",
            "repository:base:pull",
        ]);

        Assert.Equal(["repository:app:pull,push", "repository:base:pull"], merged);
    }

    [Fact]
    public void MergeSplitsSpaceSeparatedChallengeScope()
    {
        var merged = RegistryScopes.Merge(["repository:b:push,pull repository:a:pull", ""]);

        Assert.Equal(["repository:a:pull", "repository:b:pull,push"], merged);
    }

    [Fact]
    public void KeyIsSameForReorderedScopes()
    {
        var first = RegistryScopes.Key(RegistryScopes.Merge(["repository:x:pull,push"]));
        var second = RegistryScopes.Key(RegistryScopes.Merge(["repository:x:push,pull"]));

        Assert.Equal(first, second);
    }
}
