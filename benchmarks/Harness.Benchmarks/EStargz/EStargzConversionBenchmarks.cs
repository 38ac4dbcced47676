using System.Formats.Tar;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Harness.EStargz;

namespace Harness.Benchmarks.EStargz;

/// <summary>
/// Throughput of <see cref="EStargzWriter.ConvertAsync"/> on a synthetic layer of about 46 MB held
/// in memory, so the figure is the converter's own speed and not the disk's. The layer mixes what
/// image layers hold: many small text files (sources, configs), mid-size compressible files and a
/// few large incompressible ones (already-compressed assets), which exercises the small-member
/// batching as well as the chunking of large files.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EStargzConversionBenchmarks
{
    private byte[] _layer = [];

    /// <summary>gzip level: 9 is the Go converter's default, 6 gzip's usual default.</summary>
    [Params(6, 9)]
    public int Level { get; set; }

    [GlobalSetup]
    public void BuildLayer()
    {
        var random = new Random(42);
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            for (var i = 0; i < 4000; i++)
            {
                AddFile(
                    writer,
                    $"app/src/module{i / 100}/file{i}.js",
                    Text(random, 2 + i % 8 * 1000)
                );
            }

            for (var i = 0; i < 40; i++)
            {
                AddFile(writer, $"usr/lib/lib{i}.so", Text(random, 400_000));
            }

            for (var i = 0; i < 3; i++)
            {
                var data = new byte[3 * 1024 * 1024 + i * 777];
                random.NextBytes(data);
                AddFile(writer, $"usr/share/assets/blob{i}.bin", data);
            }
        }

        _layer = stream.ToArray();

        // Printed so the throughput can be worked out from the mean time.
        Console.WriteLine($"// synthetic layer: {_layer.Length} bytes");
    }

    [Benchmark(Description = "convert synthetic layer")]
    public async Task<EStargzLayer> ConvertAsync()
    {
        var options = new EStargzWriterOptions { CompressionLevel = Level };
        return await EStargzWriter.ConvertAsync(
            new MemoryStream(_layer, writable: false),
            Stream.Null,
            options,
            CancellationToken.None
        );
    }

    private static void AddFile(TarWriter writer, string name, byte[] data) =>
        writer.WriteEntry(
            new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) }
        );

    /// <summary>Returns source-like text: words from a small vocabulary, about 3:1
    /// compressible.</summary>
    private static byte[] Text(Random random, int length)
    {
        string[] words =
        [
            "const",
            "function",
            "return",
            "import",
            "export",
            "module",
            "require",
            "value",
            "this",
            "await",
            "async",
            "if",
            "else",
            "for",
            "let",
            "new",
            "null",
            "true",
            "false",
            "object",
            "string",
            "number",
            "length",
            "push",
            "map",
            "filter",
            "=>",
            "{",
            "}",
            "(",
            ")",
            ";",
            "\n",
            "  ",
        ];
        var builder = new StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append(words[random.Next(words.Length)]).Append(' ');
            if (random.Next(8) == 0)
            {
                builder.Append(random.Next(100_000));
            }
        }

        return Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }
}
