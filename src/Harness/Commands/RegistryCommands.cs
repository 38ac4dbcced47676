using System.CommandLine;
using Harness.Registry;
using Microsoft.Extensions.Logging;

namespace Harness.Commands;

/// <summary>The <c>registry</c> verbs: push an OCI image layout to a registry.</summary>
internal static class RegistryCommands
{
    private const long Mebibyte = 1024 * 1024;

    public static Command Create()
    {
        var command = new Command("registry", "Talk to an OCI distribution registry.");
        command.Subcommands.Add(CreatePushLayout());
        return command;
    }

    private static Command CreatePushLayout()
    {
        var layout = new Argument<DirectoryInfo>("DIR")
        {
            Description = "OCI image layout folder (with oci-layout, index.json and blobs/).",
        };
        var reference = new Argument<string>("REF")
        {
            Description = "Target image reference, such as 127.0.0.1:5000/app:v1.",
        };
        var mountFrom = new Option<string[]>("--mount-from")
        {
            Description =
                "Repository of the same registry to mount missing blobs from; "
                + "may be given more than once.",
            AllowMultipleArgumentsPerToken = false,
        };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = "Blobs larger than this many MiB go up in PATCH chunks of this size.",
            DefaultValueFactory = _ => (int)(RegistryClientOptions.DefaultChunkSize / Mebibyte),
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Number of blobs uploaded at the same time.",
            DefaultValueFactory = _ => new OciLayoutPushOptions().MaxConcurrentUploads,
        };

        var command = new Command(
            "push-layout",
            "Push an image from an OCI image layout folder; prints the manifest digest. "
                + "Credentials come from the Docker config file ($DOCKER_CONFIG or ~/.docker)."
        );
        command.Arguments.Add(layout);
        command.Arguments.Add(reference);
        command.Options.Add(mountFrom);
        command.Options.Add(chunkSize);
        command.Options.Add(concurrency);
        command.SetAction(
            async (parseResult, cancellationToken) =>
            {
                var chunkMebibytes = parseResult.GetValue(chunkSize);
                if (chunkMebibytes < 1)
                {
                    throw new HarnessException(
                        $"--chunk-size {chunkMebibytes} is invalid; expected 1 MiB or more."
                    );
                }

                var target = ImageReference.Parse(parseResult.GetValue(reference)!);
                using var loggerFactory = CommandLine.CreateLoggerFactory(parseResult);
                var logger = loggerFactory.CreateLogger("registry");
                using var client = new RegistryClient(
                    target.Registry,
                    new RegistryClientOptions { ChunkSize = chunkMebibytes * Mebibyte },
                    logger
                );
                var pusher = new OciLayoutPusher(
                    client,
                    new OciLayoutPushOptions
                    {
                        MountSources = parseResult.GetValue(mountFrom) ?? [],
                        MaxConcurrentUploads = parseResult.GetValue(concurrency),
                    },
                    logger
                );

                var result = await pusher.PushAsync(
                    parseResult.GetValue(layout)!.FullName,
                    target,
                    new SynchronousProgress<PushProgress>(report => LogProgress(logger, report)),
                    cancellationToken
                );
                Console.WriteLine(result.Digest);
                return ExitCodes.Success;
            }
        );
        return command;
    }

    private static void LogProgress(ILogger logger, PushProgress report)
    {
        // Byte counts during an upload are too frequent for a log; finished steps are shown.
        var digest = ContentDigest.Abbreviate(report.Digest);
        switch (report.Stage)
        {
            case PushStage.Existing:
                logger.LogInformation("{Digest}: already in the registry", digest);
                break;
            case PushStage.Mounted:
                logger.LogInformation("{Digest}: mounted from another repository", digest);
                break;
            case PushStage.Uploaded when report.Size < Mebibyte:
                logger.LogInformation("{Digest}: uploaded {Size} bytes", digest, report.Size);
                break;
            case PushStage.Uploaded:
                logger.LogInformation(
                    "{Digest}: uploaded {Size:0.0} MiB",
                    digest,
                    report.Size / (double)Mebibyte
                );
                break;
            case PushStage.Foreign:
                logger.LogInformation("{Digest}: non-distributable, not pushed", digest);
                break;
            case PushStage.ManifestPushed:
                logger.LogInformation(
                    "{Digest}: manifest stored ({MediaType})",
                    digest,
                    report.MediaType
                );
                break;
            case PushStage.Uploading:
                break;
        }
    }
}
