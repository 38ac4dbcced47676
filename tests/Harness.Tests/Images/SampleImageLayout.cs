using Harness.EStargz;
using Harness.Images;
using Harness.Workloads;

namespace Harness.Tests.Images;

/// <summary>Writes a small two-layer image (a system tree and an application tree) as an OCI
/// image layout, with gzip or eStargz layers.</summary>
internal static class SampleImageLayout
{
    /// <summary>Writes the layout into <c>FOLDER/oci</c>, using FOLDER for scratch files.
    /// </summary>
    public static async Task<WrittenImageLayout> WriteAsync(
        string folder,
        WorkloadManifest manifest,
        bool estargz
    )
    {
        Directory.CreateDirectory(folder);
        using var system = new TemporaryTree();
        system
            .File("etc/os-release", "NAME=test\n")
            .File("usr/bin/tool", "#!/bin/sh\n", 0b111_101_101);
        using var application = new TemporaryTree();
        application.File("app/server.js", "console.log('hi');\n");

        var layers = new List<BuiltLayer>();
        var index = 0;
        foreach (var tree in new[] { system, application })
        {
            var entries = FileTreeScanner
                .Scan(tree.Root, CancellationToken.None)
                .Select(LayerEntry.FromTree)
                .ToList();
            var tar = await LayerTar.WriteAsync(
                Path.Combine(folder, $"{index}.tar"),
                entries,
                $"layer {index}",
                CancellationToken.None
            );
            var blob = Path.Combine(folder, $"{index}.blob");
            layers.Add(
                estargz
                    ? await LayerCompressor.ConvertToEStargzAsync(
                        tar,
                        blob,
                        new EStargzWriterOptions
                        {
                            ChunkSize = 4 << 20,
                            CompressionLevel = 6,
                            MaxDegreeOfParallelism = 1,
                        },
                        CancellationToken.None
                    )
                    : await LayerCompressor.GzipAsync(tar, blob, 6, CancellationToken.None)
            );
            File.Delete(tar.Path);
            index++;
        }

        var variant = estargz ? "estargz" : "overlayfs";
        return await OciImageWriter.WriteAsync(
            Path.Combine(folder, "oci"),
            layers,
            manifest,
            $"{manifest.Name}:{variant}",
            CancellationToken.None
        );
    }
}
