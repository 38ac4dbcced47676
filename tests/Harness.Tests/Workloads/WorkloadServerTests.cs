using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CliWrap;
using Harness.Workloads;
using Xunit;

namespace Harness.Tests.Workloads;

/// <summary>Runs each hello workload's code with this machine's interpreter and sends it a
/// request on 127.0.0.1.</summary>
public sealed class WorkloadServerTests
{
    [ProgramFact("/usr/bin/node", "nodejs")]
    public async Task NodejsHelloAnswersOnLoopback()
    {
        var body = await RunAndRequestAsync("nodejs-hello", "/usr/bin/node", "server.js");

        Assert.Equal("Hello from nodejs-hello", body.GetProperty("message").GetString());
        Assert.Equal("/probe", body.GetProperty("path").GetString());
    }

    [ProgramFact("/usr/bin/python3", "python3")]
    public async Task PythonHelloAnswersOnLoopback()
    {
        var body = await RunAndRequestAsync("python-hello", "/usr/bin/python3", "server.py");

        Assert.Equal("Hello from python-hello", body.GetProperty("message").GetString());
        Assert.Equal("/probe", body.GetProperty("path").GetString());
    }

    private static async Task<JsonElement> RunAndRequestAsync(
        string workload,
        string interpreter,
        string script
    )
    {
        var folder = WorkloadCatalog.Default.Get(workload).Folder;
        var port = FreeLoopbackPort();
        var output = new StringBuilder();
        using var stop = new CancellationTokenSource();
        var server = Cli.Wrap(interpreter)
            .WithArguments([script])
            .WithWorkingDirectory(folder)
            .WithEnvironmentVariables(
                new Dictionary<string, string?>
                {
                    ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }
            )
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .ExecuteAsync(stop.Token);
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var url = new Uri($"http://127.0.0.1:{port}/probe");
            for (var attempt = 0; attempt < 200; attempt++)
            {
                Assert.False(server.Task.IsCompleted, $"{workload} exited early:\n{output}");
                try
                {
                    using var response = await client.GetAsync(url);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    using var document = JsonDocument.Parse(
                        await response.Content.ReadAsStringAsync()
                    );
                    return document.RootElement.Clone();
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            throw new TimeoutException($"{workload} did not answer on port {port}:\n{output}");
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await server;
            }
            catch (OperationCanceledException)
            {
                // The server was stopped on purpose.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
