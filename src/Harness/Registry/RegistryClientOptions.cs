namespace Harness.Registry;

/// <summary>Settings of a <see cref="RegistryClient"/>.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Default <see cref="ChunkSize"/>: 16 MiB.</summary>
    public const long DefaultChunkSize = 16L * 1024 * 1024;

    /// <summary>Source of credentials for authentication challenges. Null selects the Docker
    /// config file at its default path, read on the first challenge.</summary>
    public IRegistryCredentialSource? Credentials { get; init; }

    /// <summary>Blobs up to this many bytes go up in one PUT; larger ones in PATCH requests
    /// of at most this many bytes each.</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Max time for one HTTP request, body included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Value of the <c>User-Agent</c> header.</summary>
    public string UserAgent { get; init; } = "harness-registry-client/1";
}
