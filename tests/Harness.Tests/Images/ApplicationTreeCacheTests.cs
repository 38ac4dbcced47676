using Harness.Images;
using Harness.Workloads;
using Xunit;

namespace Harness.Tests.Images;

public sealed class ApplicationTreeCacheTests : IDisposable
{
    private const string Manifest = """
        {
          "name": "sample",
          "entrypoint": ["/usr/bin/node", "/srv/app/server.js"],
          "port": 18099,
          "build": {
            "runtimePackages": [],
            "application": { "destination": "/srv/app", "files": ["server.js", "lib"] }
          }
        }
        """;

    private readonly TemporaryTree _workloads = new("harness-app-workloads-");
    private readonly TemporaryTree _cache = new("harness-app-cache-");

    public ApplicationTreeCacheTests()
    {
        _workloads
            .File("sample/workload.json", Manifest)
            .File("sample/server.js", "require('./lib/util');\n", 0b111_000_000)
            .File("sample/lib/util.js", "module.exports = 1;\n", 0b110_000_000)
            .File("sample/notes.txt", "not listed, so not copied\n");
    }

    public void Dispose()
    {
        _workloads.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public async Task TreeHoldsListedFilesUnderDestination()
    {
        var workload = new WorkloadCatalog(_workloads.Root).Get("sample");

        var root = await new ApplicationTreeCache(_cache.Root, null).GetTreeAsync(
            workload,
            CancellationToken.None
        );

        var entries = FileTreeScanner
            .Scan(root, CancellationToken.None)
            .ToDictionary(entry => entry.Path);
        Assert.Equal(
            ["srv", "srv/app", "srv/app/lib", "srv/app/lib/util.js", "srv/app/server.js"],
            entries.Keys
        );
        Assert.Equal(0b111_101_101, entries["srv/app/server.js"].Mode);
        Assert.Equal(0b110_100_100, entries["srv/app/lib/util.js"].Mode);
        Assert.Equal(0b111_101_101, entries["srv/app"].Mode);
    }

    [Fact]
    public void KeyChangesWithFileContent()
    {
        var catalog = new WorkloadCatalog(_workloads.Root);
        var before = ApplicationTreeCache.KeyOf(catalog.Get("sample"));

        File.AppendAllText(_workloads.PathOf("sample/lib/util.js"), "// changed\n");
        var after = ApplicationTreeCache.KeyOf(catalog.Get("sample"));
        File.AppendAllText(_workloads.PathOf("sample/notes.txt"), "not part of the image\n");
        var unlisted = ApplicationTreeCache.KeyOf(catalog.Get("sample"));

        Assert.NotEqual(before, after);
        Assert.Equal(after, unlisted);
    }
}
