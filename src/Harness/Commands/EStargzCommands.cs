using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harness.EStargz;

namespace Harness.Commands;

/// <summary>The <c>estargz</c> verbs: convert a layer to eStargz, inspect and verify a
/// blob.</summary>
internal static class EStargzCommands
{
    public static Command Create()
    {
        var command = new Command(
            "estargz",
            "Convert tar layers to eStargz and inspect eStargz blobs."
        );
        command.Subcommands.Add(CreateConvert());
        command.Subcommands.Add(CreateInspect());
        return command;
    }

    private static Command CreateConvert()
    {
        var input = new Argument<FileInfo>("IN")
        {
            Description = "Tar or gzip tar layer to convert.",
        };
        var output = new Argument<FileInfo>("OUT")
        {
            Description = "Path of the eStargz blob to write.",
        };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = "Largest uncompressed chunk of a file per gzip member, in bytes.",
            DefaultValueFactory = _ => new EStargzWriterOptions().ChunkSize,
        };
        var level = new Option<int>("--level")
        {
            Description = "gzip compression level, 0 (none) to 9 (smallest, the default).",
            DefaultValueFactory = _ => new EStargzWriterOptions().CompressionLevel,
        };
        var prioritized = new Option<FileInfo?>("--prioritized-files")
        {
            Description =
                "File listing the paths to prefetch, one a line; without it the "
                + "layer gets the no-prefetch landmark.",
        };
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "Number of gzip members compressed at once (default: the core count).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };

        var command = new Command(
            "convert",
            "Convert a tar (or gzip tar) layer to an eStargz blob."
        );
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(chunkSize);
        command.Options.Add(level);
        command.Options.Add(prioritized);
        command.Options.Add(parallelism);
        command.SetAction(
            (parseResult, cancellationToken) =>
                ReportFailuresAsync(async () =>
                {
                    var options = new EStargzWriterOptions
                    {
                        ChunkSize = parseResult.GetValue(chunkSize),
                        CompressionLevel = parseResult.GetValue(level),
                        PrioritizedFiles = ReadPrioritizedFiles(parseResult.GetValue(prioritized)),
                        MaxDegreeOfParallelism = parseResult.GetValue(parallelism),
                    };
                    await ConvertAsync(
                        parseResult.GetValue(input)!,
                        parseResult.GetValue(output)!,
                        options,
                        cancellationToken
                    );
                })
        );
        return command;
    }

    private static Command CreateInspect()
    {
        var blob = new Argument<FileInfo>("BLOB") { Description = "eStargz blob to inspect." };
        var tocDigest = new Option<string?>("--toc-digest")
        {
            Description = "Expected TOC digest (the layer's toc.digest annotation), sha256:<hex>.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the footer, TOC digest and entries as JSON.",
        };
        var command = new Command(
            "inspect",
            "Show an eStargz blob's footer and TOC entries, verifying every chunk digest."
        );
        command.Arguments.Add(blob);
        command.Options.Add(tocDigest);
        command.Options.Add(json);
        command.SetAction(
            (parseResult, cancellationToken) =>
                ReportFailuresAsync(() =>
                    InspectAsync(
                        parseResult.GetValue(blob)!,
                        parseResult.GetValue(tocDigest),
                        parseResult.GetValue(json),
                        cancellationToken
                    )
                )
        );
        return command;
    }

    /// <summary>
    /// Runs a verb and turns a <see cref="HarnessException"/> into its message and exit code.
    /// System.CommandLine's default exception handler would otherwise catch it first, print a
    /// stack trace and exit with 1.
    /// </summary>
    private static async Task<int> ReportFailuresAsync(Func<Task> action)
    {
        try
        {
            await action();
            return ExitCodes.Success;
        }
        catch (HarnessException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return exception.ExitCode;
        }
    }

    private static async Task ConvertAsync(
        FileInfo input,
        FileInfo output,
        EStargzWriterOptions options,
        CancellationToken cancellationToken
    )
    {
        if (!input.Exists)
        {
            throw new HarnessException(
                $"Input layer {input.FullName} not found; give the path of a tar or gzip tar."
            );
        }

        if (options.ChunkSize <= 0)
        {
            throw new HarnessException(
                $"--chunk-size is {options.ChunkSize}; expected a positive number of bytes."
            );
        }

        if (options.CompressionLevel is < 0 or > 9)
        {
            throw new HarnessException(
                $"--level is {options.CompressionLevel}; expected a gzip level from 0 to 9."
            );
        }

        if (options.MaxDegreeOfParallelism <= 0)
        {
            throw new HarnessException(
                $"--parallelism is {options.MaxDegreeOfParallelism}; expected at least 1."
            );
        }

        // Written beside OUT and renamed at the end, so a failed conversion leaves no
        // half-written blob under the requested name.
        var directory = output.Directory ?? new DirectoryInfo(".");
        if (!directory.Exists)
        {
            throw new HarnessException(
                $"Output directory {directory.FullName} not found; create it first."
            );
        }

        var temporary = Path.Combine(
            directory.FullName,
            $".{output.Name}.{Guid.NewGuid():N}.partial"
        );
        var stopwatch = Stopwatch.StartNew();
        EStargzLayer layer;
        try
        {
            await using (
                var inputStream = new FileStream(
                    input.FullName,
                    FileMode.Open,
                    FileAccess.Read,
                    FileShare.Read,
                    64 * 1024
                )
            )
            await using (
                var outputStream = new FileStream(
                    temporary,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    1024 * 1024
                )
            )
            {
                layer = await EStargzWriter.ConvertAsync(
                    inputStream,
                    outputStream,
                    options,
                    cancellationToken
                );
            }

            File.Move(temporary, output.FullName, overwrite: true);
        }
        catch (InvalidDataException exception)
        {
            File.Delete(temporary);
            throw new HarnessException(
                $"Cannot convert {input.FullName}: {exception.Message}",
                exception
            );
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"blob:              {output.FullName}");
        Console.WriteLine($"digest:            {layer.Digest}");
        Console.WriteLine($"size:              {layer.Size}");
        Console.WriteLine($"diffID:            {layer.DiffId}");
        Console.WriteLine($"uncompressed size: {layer.UncompressedSize}");
        Console.WriteLine($"TOC digest:        {layer.TocDigest}");
        Console.WriteLine($"TOC offset:        {layer.TocOffset}");
        Console.WriteLine($"TOC entries:       {layer.TocEntryCount}");
        foreach (var missing in layer.MissingPrioritizedFiles)
        {
            Console.WriteLine($"not in layer:      {missing} (prioritized file left out)");
        }

        var throughput = layer.UncompressedSize / 1e6 / seconds;
        Console.WriteLine(
            string.Create(
                culture,
                $"converted in {seconds:F2} s ({throughput:F1} MB/s uncompressed)"
            )
        );
    }

    private static async Task InspectAsync(
        FileInfo blob,
        string? expectedTocDigest,
        bool json,
        CancellationToken cancellationToken
    )
    {
        if (!blob.Exists)
        {
            throw new HarnessException($"Blob {blob.FullName} not found.");
        }

        try
        {
            using var reader = EStargzReader.Open(blob.FullName);
            if (expectedTocDigest is not null)
            {
                reader.VerifyTocDigest(expectedTocDigest);
            }

            var chunks = await reader.VerifyChunksAsync(cancellationToken);
            if (json)
            {
                var report = new
                {
                    blobSize = reader.BlobSize,
                    footerSize = reader.FooterSize,
                    tocOffset = reader.TocOffset,
                    tocDigest = reader.TocDigest,
                    chunksVerified = chunks,
                    entries = reader.Entries,
                };
                Console.WriteLine(
                    JsonSerializer.Serialize(
                        report,
                        new JsonSerializerOptions { WriteIndented = true }
                    )
                );
                return;
            }

            PrintSummary(reader, chunks);
        }
        catch (InvalidDataException exception)
        {
            throw new HarnessException(
                $"{blob.FullName} is not a valid eStargz blob: " + exception.Message,
                exception
            );
        }
    }

    private static void PrintSummary(EStargzReader reader, int chunks)
    {
        var footerKind =
            reader.FooterSize == EStargzFormat.FooterSize ? "eStargz" : "legacy stargz";
        Console.WriteLine($"blob size:   {reader.BlobSize}");
        Console.WriteLine($"footer:      {reader.FooterSize} bytes ({footerKind})");
        Console.WriteLine($"TOC offset:  {reader.TocOffset}");
        Console.WriteLine($"TOC digest:  {reader.TocDigest}");
        Console.WriteLine($"TOC entries: {reader.Entries.Count}");
        Console.WriteLine($"chunks:      {chunks} verified against their chunk digests");
        Console.WriteLine();
        Console.WriteLine(
            $"{"TYPE", -8} {"SIZE", 12} {"OFFSET", 12} {"CHUNK AT", 12} {"CHUNK SIZE", 10}  NAME"
        );
        foreach (var entry in reader.Entries)
        {
            var target = entry.LinkName is null ? "" : $" -> {entry.LinkName}";
            Console.WriteLine(
                $"{entry.Type, -8} {entry.Size, 12} {entry.Offset, 12} {entry.ChunkOffset, 12} "
                    + $"{entry.ChunkSize, 10}  {entry.Name}{target}"
            );
        }
    }

    private static IReadOnlyList<string>? ReadPrioritizedFiles(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw new HarnessException(
                $"Prioritized files list {file.FullName} not found; give a file with one path "
                    + "a line."
            );
        }

        return File.ReadAllLines(file.FullName)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToList();
    }
}
