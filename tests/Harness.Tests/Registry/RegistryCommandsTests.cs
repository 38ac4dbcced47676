using Harness.Commands;
using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class RegistryCommandsTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [RegistryFact]
    public async Task PushLayoutCommandStoresImage()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var layout = new TestImageLayout();
        var manifest = layout.AddImage("cli", TestImageLayout.RandomBytes(3000, seed: 60));
        layout.WriteIndexJson((manifest, null));

        var exitCode = await CommandLine.RunAsync([
            "registry",
            "push-layout",
            layout.Folder,
            $"{registry.Name}/cli/app:v1",
            "--chunk-size",
            "1",
        ]);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var client = new RegistryClient(
            registry.Name,
            new RegistryClientOptions { Credentials = new StaticCredentialSource(null) }
        );
        var stored = await client.GetManifestAsync("cli/app", "v1", timeout.Token);
        Assert.Equal(manifest.Digest, stored.Digest);
    }
}
