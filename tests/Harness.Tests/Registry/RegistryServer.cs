using System.Diagnostics;
using System.Text;

namespace Harness.Tests.Registry;

/// <summary>
/// A real distribution registry (Debian's docker-registry) on 127.0.0.1, with its own config
/// file and storage in a temporary folder that disposal deletes after stopping the process.
/// </summary>
internal sealed class RegistryServer : IAsyncDisposable
{
    public const string ProgramPath = "/usr/bin/docker-registry";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly StringBuilder output;

    private RegistryServer(Process process, StringBuilder output, string folder, int port)
    {
        this.process = process;
        this.output = output;
        Folder = folder;
        Port = port;
    }

    /// <summary>Temporary folder holding config.yml and storage/.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>Registry name for image references, such as <c>127.0.0.1:15123</c>.</summary>
    public string Name => $"127.0.0.1:{Port}";

    /// <summary>Registry output so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static bool IsInstalled => File.Exists(ProgramPath);

    /// <summary>Starts a registry whose config has <paramref name="authYaml"/> (a YAML
    /// <c>auth:</c> block, or empty for anonymous access), retrying on another port when the
    /// chosen one is taken meanwhile.</summary>
    public static async Task<RegistryServer> StartAsync(
        string authYaml,
        CancellationToken cancellationToken
    )
    {
        var folder = Directory.CreateTempSubdirectory("harness-registry-test-").FullName;
        Exception? lastFailure = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = RegistryTestPorts.Reserve();
            var server = Launch(folder, port, authYaml);
            try
            {
                await server.WaitUntilServingAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException exception)
            {
                lastFailure = exception;
                await server.StopProcessAsync();
            }
            catch
            {
                await server.StopProcessAsync();
                Directory.Delete(folder, recursive: true);
                throw;
            }
        }

        Directory.Delete(folder, recursive: true);
        throw new InvalidOperationException("docker-registry did not start.", lastFailure);
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the system's temp cleaning.
        }
    }

    private static RegistryServer Launch(string folder, int port, string authYaml)
    {
        var storage = Path.Combine(folder, "storage");
        Directory.CreateDirectory(storage);
        var configPath = Path.Combine(folder, "config.yml");

        // Configuration format: distribution 2.8 docs/configuration.md (version 0.1).
        File.WriteAllText(
            configPath,
            $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
              secret: {Guid.NewGuid():N}
            {authYaml}
            """
        );

        var start = new ProcessStartInfo(ProgramPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);

        var output = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Append(object sender, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RegistryServer(process, output, folder, port);
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"docker-registry exited with code {process.ExitCode}:\n{Output}"
                );
            }

            try
            {
                // Any HTTP response (200, or 401 with auth configured) means it is serving.
                using var response = await client.GetAsync($"http://{Name}/v2/", cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new InvalidOperationException(
            $"docker-registry did not answer on {Name} within {StartTimeout}:\n{Output}"
        );
    }

    private async Task StopProcessAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
    }
}
