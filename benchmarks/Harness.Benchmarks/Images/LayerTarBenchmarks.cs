using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Harness.Images;

namespace Harness.Benchmarks.Images;

/// <summary>
/// Speed of turning a root tree into a layer: scanning it with lstat and extended attributes,
/// writing the reproducible tar, and diffing two trees that differ in a tenth of their files.
/// The tree (3,000 files of 1-64 KiB in 60 folders, about 100 MB) lives in the temporary
/// folder, so after the first iteration the page cache serves the reads and the figure is the
/// code's own cost.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LayerTarBenchmarks
{
    private string _lower = "";
    private string _upper = "";
    private IReadOnlyList<FileTreeEntry> _lowerEntries = [];
    private IReadOnlyList<FileTreeEntry> _upperEntries = [];

    [GlobalSetup]
    public void CreateTrees()
    {
        var random = new Random(7);
        var root = Directory.CreateTempSubdirectory("harness-layer-benchmark-").FullName;
        _lower = Path.Combine(root, "lower");
        _upper = Path.Combine(root, "upper");
        for (var i = 0; i < 3000; i++)
        {
            var relative = Path.Combine($"usr/lib/module{i / 50}", $"file{i}.so");
            var content = new byte[1024 + random.Next(63 * 1024)];
            random.NextBytes(content);
            Write(_lower, relative, content);

            // Every tenth file changes in the upper tree, and the rest stay byte for byte equal.
            if (i % 10 == 0)
            {
                content[0] ^= 0xff;
            }

            Write(_upper, relative, content);
        }

        _lowerEntries = FileTreeScanner.Scan(_lower, CancellationToken.None);
        _upperEntries = FileTreeScanner.Scan(_upper, CancellationToken.None);
    }

    [GlobalCleanup]
    public void DeleteTrees() => Directory.Delete(Path.GetDirectoryName(_lower)!, recursive: true);

    [Benchmark(Description = "scan 3,000-file tree")]
    public int Scan() => FileTreeScanner.Scan(_lower, CancellationToken.None).Count;

    [Benchmark(Description = "write layer tar of 3,000 files")]
    public async Task WriteTarAsync()
    {
        var entries = _lowerEntries.Select(LayerEntry.FromTree).ToList();
        await TarLayerWriter.WriteAsync(entries, Stream.Null, CancellationToken.None);
    }

    [Benchmark(Description = "diff two 3,000-file trees")]
    public int Diff() =>
        LayerDiff.Compute(_lowerEntries, _upperEntries, CancellationToken.None).Count;

    private static void Write(string root, string relative, byte[] content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
