using Harness.Processes;

namespace Harness.Tests.Registry;

/// <summary>
/// A registry that requires Basic authentication from an htpasswd file with one bcrypt entry,
/// written by Apache's htpasswd.
/// </summary>
public sealed class BasicAuthRegistryFixture : IAsyncLifetime
{
    public const string Username = "pusher";
    public const string Password = "Basic-Auth-Secret-7f3a";

    private RegistryServer? server;
    private string? folder;

    public string Name =>
        (server ?? throw new InvalidOperationException("The registry did not start.")).Name;

    public async Task InitializeAsync()
    {
        if (!RegistryServer.IsInstalled || !File.Exists(RegistryFactAttribute.HtpasswdPath))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        folder = Directory.CreateTempSubdirectory("harness-registry-htpasswd-").FullName;
        var htpasswdPath = Path.Combine(folder, "htpasswd");

        // -c create, -B bcrypt (the only hash the registry accepts), -b password argument.
        await ProcessRunner.RunAsync(
            RegistryFactAttribute.HtpasswdPath,
            ["-c", "-B", "-b", htpasswdPath, Username, Password],
            timeout.Token
        );

        server = await RegistryServer.StartAsync(
            $"""
            auth:
              htpasswd:
                realm: harness-test-realm
                path: {htpasswdPath}
            """,
            timeout.Token
        );
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (folder is not null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
