using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Harness.Tests.Network;

/// <summary>
/// A docker-registry process on 127.0.0.1 with its own configuration and storage in a
/// temporary folder, so tests never touch a registry that the machine already runs.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process process;
    private readonly string folder;

    private LocalRegistry(Process process, string folder, IPEndPoint endpoint)
    {
        this.process = process;
        this.folder = folder;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public int ProcessId => process.Id;

    public static async Task<LocalRegistry> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("harness-link-registry-").FullName;
        var port = LoopbackPorts.FindFreePort();
        var configPath = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(
            configPath,
            $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(folder, "storage")}
            http:
              addr: 127.0.0.1:{port}
            """,
            cancellationToken
        );

        var start = new ProcessStartInfo(RegistryInstalledFactAttribute.RegistryProgram)
        {
            ArgumentList = { "serve", configPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)
            ?? throw new InvalidOperationException("docker-registry did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var registry = new LocalRegistry(process, folder, new IPEndPoint(IPAddress.Loopback, port));
        try
        {
            await registry.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    /// <summary>Uploads <paramref name="blob"/> to <paramref name="repository"/> with a single
    /// PUT and returns its path, <c>/v2/&lt;repository&gt;/blobs/&lt;digest&gt;</c>.</summary>
    public async Task<string> PushBlobAsync(
        string repository,
        byte[] blob,
        CancellationToken cancellationToken
    )
    {
        // Monolithic upload (OCI distribution specification, "Pushing a blob monolithically"):
        // POST opens an upload session, PUT with the digest sends the blob and closes it.
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Endpoint}") };
        using var opened = await client.PostAsync(
            $"/v2/{repository}/blobs/uploads/",
            content: null,
            cancellationToken
        );
        opened.EnsureSuccessStatusCode();

        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var location = opened.Headers.Location
            ?? throw new InvalidDataException("The registry opened an upload without Location.");
        var separator = location.OriginalString.Contains('?') ? '&' : '?';
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var closed = await client.PutAsync(
            $"{location.OriginalString}{separator}digest={digest}",
            content,
            cancellationToken
        );
        closed.EnsureSuccessStatusCode();
        return $"/v2/{repository}/blobs/{digest}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Endpoint}") };
        var deadline =
            Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/v2/", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (Stopwatch.GetTimestamp() < deadline)
            {
                // Not listening yet.
            }

            if (process.HasExited || Stopwatch.GetTimestamp() >= deadline)
            {
                throw new TimeoutException(
                    $"docker-registry on {Endpoint} was not ready within {StartTimeout}."
                );
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
