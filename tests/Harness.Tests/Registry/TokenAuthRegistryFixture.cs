namespace Harness.Tests.Registry;

/// <summary>
/// A real registry configured for token authentication, trusting a
/// <see cref="StandInTokenServer"/> that requires <see cref="Username"/> and
/// <see cref="Password"/>.
/// </summary>
public sealed class TokenAuthRegistryFixture : IAsyncLifetime
{
    public const string Username = "token-user";
    public const string Password = "Token-Server-Secret-91c2";

    private RegistryServer? server;
    private StandInTokenServer? tokenServer;
    private string? folder;

    public string Name =>
        (server ?? throw new InvalidOperationException("The registry did not start.")).Name;

    internal StandInTokenServer TokenServer =>
        tokenServer ?? throw new InvalidOperationException("The token server did not start.");

    public async Task InitializeAsync()
    {
        if (!RegistryServer.IsInstalled)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        folder = Directory.CreateTempSubdirectory("harness-registry-token-").FullName;
        tokenServer = StandInTokenServer.Start(folder, Username, Password);
        server = await RegistryServer.StartAsync(tokenServer.RegistryAuthYaml, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (tokenServer is not null)
        {
            await tokenServer.DisposeAsync();
        }

        if (folder is not null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
