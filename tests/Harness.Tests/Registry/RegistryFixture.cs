namespace Harness.Tests.Registry;

/// <summary>One anonymous registry shared by the tests of a class.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private RegistryServer? server;

    /// <summary>Registry name, such as <c>127.0.0.1:15123</c>.</summary>
    public string Name => Server.Name;

    internal RegistryServer Server =>
        server ?? throw new InvalidOperationException("The registry did not start.");

    public async Task InitializeAsync()
    {
        if (!RegistryServer.IsInstalled)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        server = await RegistryServer.StartAsync("", timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
