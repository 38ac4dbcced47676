using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Reporting;

/// <summary>
/// Reads and writes <c>manifest.json</c>: snake_case field names, times in UTC, replaced
/// atomically so a crash never leaves half a manifest.
/// </summary>
public static class RunManifestFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new UtcTimestampJsonConverter() },
    };

    /// <summary>Writes the manifest to <paramref name="path"/>, replacing any earlier one.
    /// </summary>
    public static Task WriteAsync(
        string path,
        RunManifest manifest,
        CancellationToken cancellationToken
    ) =>
        AtomicFile.WriteAsync(
            path,
            async (stream, token) =>
            {
                await JsonSerializer.SerializeAsync(stream, manifest, Options, token);
                await stream.WriteAsync("\n"u8.ToArray(), token);
            },
            cancellationToken
        );

    /// <summary>Reads a manifest written by <see cref="WriteAsync"/>.</summary>
    public static async Task<RunManifest> ReadAsync(
        string path,
        CancellationToken cancellationToken
    )
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<RunManifest>(
                stream,
                Options,
                cancellationToken
            ) ?? throw new HarnessException($"{path} contains null, expected a manifest.");
        }
        catch (JsonException exception)
        {
            throw new HarnessException(
                $"{path} is not a valid run manifest: {exception.Message}",
                exception
            );
        }
    }
}
