using Harness.Processes;

namespace Harness.Tests.EStargz;

/// <summary>
/// The Go programs in GoVerifier/, built offline against Debian's stargz-snapshotter library
/// (golang-github-containerd-stargz-snapshotter-dev 0.12.0) with Debian's Go:
/// <c>estargzverify</c> opens a blob with <c>estargz.Open</c> and checks the TOC and every
/// chunk; <c>estargzbuild</c> converts a tar with <c>estargz.Build</c>, the code path of
/// <c>ctr-remote image convert --estargz</c>.
/// </summary>
internal static class GoEStargzTools
{
    public const string GoCodeRoot = "/usr/share/gocode";

    private const string LibraryFolder =
        GoCodeRoot + "/src/github.com/containerd/stargz-snapshotter/estargz";

    private static readonly Lazy<Task<(string Verify, string Build)>> Binaries = new(
        BuildAsync,
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>Why the Go checks cannot run here, or null when they can.</summary>
    public static string? MissingReason
    {
        get
        {
            if (FindOnPath("go") is null)
            {
                return "golang-go is not installed (no 'go' on PATH); apt-get install golang-go.";
            }

            if (!Directory.Exists(LibraryFolder))
            {
                return $"{LibraryFolder} not found; apt-get install "
                    + "golang-github-containerd-stargz-snapshotter-dev.";
            }

            return null;
        }
    }

    public static async Task<string> VerifyPathAsync() => (await Binaries.Value).Verify;

    public static async Task<string> BuildPathAsync() => (await Binaries.Value).Build;

    private static async Task<(string Verify, string Build)> BuildAsync()
    {
        var source = Path.Combine(
            HarnessPaths.RepositoryRoot,
            "tests",
            "Harness.Tests",
            "EStargz",
            "GoVerifier"
        );
        var output = Directory.CreateTempSubdirectory("harness-go-estargz-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = $"{source}:{GoCodeRoot}",
            ["GOFLAGS"] = "",
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "harness-go-build-cache"),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        foreach (var program in new[] { "estargzverify", "estargzbuild" })
        {
            await ProcessRunner.RunAsync(
                "go",
                ["build", "-o", Path.Combine(output, program), "./src/" + program],
                timeout.Token,
                environment,
                workingDirectory: source
            );
        }

        return (Path.Combine(output, "estargzverify"), Path.Combine(output, "estargzbuild"));
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
