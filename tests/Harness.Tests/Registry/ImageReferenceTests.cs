using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class ImageReferenceTests
{
    private const string DigestA =
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", null, null)]
    [InlineData("alpine:3.19", "docker.io", "library/alpine", "3.19", null)]
    [InlineData("someone/app:v1", "docker.io", "someone/app", "v1", null)]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", null, null)]
    [InlineData("index.docker.io/library/alpine:edge", "docker.io", "library/alpine", "edge", null)]
    [InlineData("127.0.0.1:5000/demo/app:tag", "127.0.0.1:5000", "demo/app", "tag", null)]
    [InlineData("localhost/app", "localhost", "app", null, null)]
    [InlineData("localhost:5000/app@" + DigestA, "localhost:5000", "app", null, DigestA)]
    [InlineData(
        "registry.example.com/a/b/c:1.0@" + DigestA,
        "registry.example.com",
        "a/b/c",
        "1.0",
        DigestA
    )]
    [InlineData("[::1]:5000/app:x", "[::1]:5000", "app", "x", null)]
    [InlineData("Registry/app", "Registry", "app", null, null)]
    [InlineData(
        "127.0.0.1:5000/a__b/c-d/e.f/g--h:T_a.g-1",
        "127.0.0.1:5000",
        "a__b/c-d/e.f/g--h",
        "T_a.g-1",
        null
    )]
    public void ParseSplitsRegistryRepositoryTagAndDigest(
        string text,
        string registry,
        string repository,
        string? tag,
        string? digest
    )
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
    }

    [Theory]
    [InlineData("alpine", "docker.io/library/alpine")]
    [InlineData("127.0.0.1:5000/demo/app:tag", "127.0.0.1:5000/demo/app:tag")]
    [InlineData("localhost:5000/app:1@" + DigestA, "localhost:5000/app:1@" + DigestA)]
    public void ToStringWritesTheFullReference(string text, string expected)
    {
        Assert.Equal(expected, ImageReference.Parse(text).ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("http://127.0.0.1:5000/app", "URL scheme")]
    [InlineData("Alpine", "path component 'Alpine'")]
    [InlineData("127.0.0.1:5000/app:", "tag ''")]
    [InlineData("127.0.0.1:5000/app:-bad", "tag '-bad'")]
    [InlineData("127.0.0.1:5000/a//b", "empty path component")]
    [InlineData("127.0.0.1:5000/app@sha256:abc", "64 lower-case hex digits")]
    [InlineData("127.0.0.1:5000/app@md5:0123456789abcdef0123456789abcdef", "'md5'")]
    [InlineData("127.0.0.1:5000/", "repository name is empty")]
    [InlineData("my app", "white space")]
    [InlineData("bad_host.example.com/app", "registry 'bad_host.example.com'")]
    [InlineData("127.0.0.1:5000/app_", "path component 'app_'")]
    public void ParseRejectsInvalidReferenceWithReason(string text, string reason)
    {
        var exception = Assert.Throws<HarnessException>(() => ImageReference.Parse(text));

        Assert.Contains($"'{text}'", exception.Message);
        Assert.Contains(reason, exception.Message);
    }

    [Fact]
    public void ParseRejectsNameLongerThan255Characters()
    {
        // "127.0.0.1:5000/" is 15 characters, so 241 more make 256.
        var text = "127.0.0.1:5000/" + new string('a', 241);

        var exception = Assert.Throws<HarnessException>(() => ImageReference.Parse(text));

        Assert.Contains("256 characters", exception.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/app", "http://127.0.0.1:5000/")]
    [InlineData("127.9.8.7/app", "http://127.9.8.7/")]
    [InlineData("localhost:15100/app", "http://localhost:15100/")]
    [InlineData("[::1]:5000/app", "http://[::1]:5000/")]
    [InlineData("alpine", "https://registry-1.docker.io/")]
    [InlineData("registry.example.com:5000/app", "https://registry.example.com:5000/")]
    public void ApiBaseUriUsesHttpOnlyForLoopback(string text, string expected)
    {
        Assert.Equal(new Uri(expected), ImageReference.Parse(text).ApiBaseUri);
    }

    [Fact]
    public void ManifestReferencePrefersDigestThenTagThenLatest()
    {
        Assert.Equal("latest", ImageReference.Parse("127.0.0.1:5000/app").ManifestReference);
        Assert.Equal("v2", ImageReference.Parse("127.0.0.1:5000/app:v2").ManifestReference);
        Assert.Equal(
            DigestA,
            ImageReference.Parse("127.0.0.1:5000/app:v2@" + DigestA).ManifestReference
        );
    }

    [Fact]
    public void WithTagRejectsInvalidTag()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/app");

        Assert.Equal("ok.1", reference.WithTag("ok.1").Tag);
        Assert.Throws<HarnessException>(() => reference.WithTag(".hidden"));
    }
}
