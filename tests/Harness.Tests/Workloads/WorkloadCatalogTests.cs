using Harness.Tests.Images;
using Harness.Workloads;
using Xunit;

namespace Harness.Tests.Workloads;

public sealed class WorkloadCatalogTests : IDisposable
{
    private const string ValidManifest = """
        {
          "name": "sample",
          "entrypoint": ["/usr/bin/node", "/app/server.js"],
          "environment": { "PORT": "18099" },
          "workingDirectory": "/app",
          "port": 18099,
          "readinessPath": "/healthz",
          "build": {
            "runtimePackages": ["nodejs"],
            "application": { "files": ["server.js"] }
          }
        }
        """;

    private readonly TemporaryTree _root = new("harness-workloads-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void RepositoryWorkloadsLoadWithDistinctPorts()
    {
        var workloads = WorkloadCatalog.Default.GetAll();

        Assert.Equal(
            ["nodejs-express-app", "nodejs-hello", "python-hello"],
            workloads.Select(workload => workload.Manifest.Name)
        );
        foreach (var workload in workloads)
        {
            Assert.InRange(workload.Manifest.Port, 18080, 18099);
            Assert.Equal(
                workload.Manifest.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                workload.Manifest.Environment["PORT"]
            );
        }
    }

    [Fact]
    public void ValidManifestFillsDefaults()
    {
        var workload = Catalog(("sample", ValidManifest)).Get("sample");

        Assert.Equal("/healthz", workload.Manifest.ReadinessPath);
        Assert.Equal("/", workload.Manifest.TriggerPath);
        Assert.Equal("bookworm", workload.Build.Base.Suite);
        Assert.Equal("minbase", workload.Build.Base.Variant);
        Assert.Equal("http://deb.debian.org/debian", workload.Build.Base.Mirror);
        Assert.Equal("/app", workload.Build.Application.Destination);
        Assert.False(workload.Build.Application.NpmInstall);
    }

    [Fact]
    public void MissingFieldsAreAllNamed()
    {
        var catalog = Catalog(("sample", """{ "name": "sample" }"""));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains(Path.Combine(_root.Root, "sample", "workload.json"), error.Message);
        Assert.Contains("'entrypoint' is missing", error.Message);
        Assert.Contains("'port' is missing", error.Message);
        Assert.Contains("'build' is missing", error.Message);
    }

    [Fact]
    public void OutOfRangePortIsRejected()
    {
        var manifest = ValidManifest.Replace("\"port\": 18099", "\"port\": 70000");
        var catalog = Catalog(("sample", manifest));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains("'port' must be an integer from 1 to 65535, found 70000", error.Message);
    }

    [Fact]
    public void UnknownFieldIsRejected()
    {
        var manifest = ValidManifest.Replace("\"port\"", "\"prot\": 1, \"port\"");
        var catalog = Catalog(("sample", manifest));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains("'prot' is not a known field", error.Message);
    }

    [Fact]
    public void NameMustMatchFolder()
    {
        var catalog = Catalog(("other", ValidManifest));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("other"));

        Assert.Contains("'name' is \"sample\" but the folder is \"other\"", error.Message);
    }

    [Fact]
    public void MissingApplicationFileIsRejected()
    {
        var catalog = Catalog(("sample", ValidManifest), createFiles: false);

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains(
            "'build.application.files' lists \"server.js\", which was not found",
            error.Message
        );
    }

    [Fact]
    public void NpmInstallNeedsLockFile()
    {
        var manifest = ValidManifest.Replace(
            "\"files\": [\"server.js\"]",
            "\"files\": [\"server.js\"], \"npmInstall\": true"
        );
        var catalog = Catalog(("sample", manifest));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains("does not list package.json", error.Message);
        Assert.Contains("does not list package-lock.json", error.Message);
    }

    [Fact]
    public void EscapingFilePathIsRejected()
    {
        var catalog = Catalog(("sample", ValidManifest.Replace("[\"server.js\"]", "[\"../x\"]")));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains("contains \"../x\"; entries must be relative paths", error.Message);
    }

    [Fact]
    public void InvalidPackageNameIsRejected()
    {
        var catalog = Catalog(("sample", ValidManifest.Replace("\"nodejs\"", "\"Node JS\"")));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains("\"Node JS\", which is not a Debian package name", error.Message);
    }

    [Fact]
    public void InvalidJsonReportsLine()
    {
        var catalog = Catalog(("sample", "{\n  \"name\": \"sample\",\n  oops\n}"));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("sample"));

        Assert.Contains("is not valid JSON (line 3", error.Message);
    }

    [Fact]
    public void UnknownWorkloadListsKnownOnes()
    {
        var catalog = Catalog(("sample", ValidManifest));

        var error = Assert.Throws<HarnessException>(() => catalog.Get("missing"));

        Assert.Contains("Workload \"missing\" was not found", error.Message);
        Assert.Contains("known workloads: sample", error.Message);
    }

    [Fact]
    public void SharedPortIsRejected()
    {
        var catalog = Catalog(
            ("sample", ValidManifest),
            ("second", ValidManifest.Replace("\"name\": \"sample\"", "\"name\": \"second\""))
        );

        var error = Assert.Throws<HarnessException>(() => catalog.GetAll());

        Assert.Contains("port 18099 is used by", error.Message);
    }

    private WorkloadCatalog Catalog(params (string Folder, string Json)[] workloads) =>
        Catalog(workloads, createFiles: true);

    private WorkloadCatalog Catalog((string Folder, string Json) workload, bool createFiles) =>
        Catalog([workload], createFiles);

    private WorkloadCatalog Catalog((string Folder, string Json)[] workloads, bool createFiles)
    {
        foreach (var (folder, json) in workloads)
        {
            _root.File($"{folder}/workload.json", json);
            if (createFiles)
            {
                _root.File($"{folder}/server.js", "// placeholder\n");
            }
        }

        return new WorkloadCatalog(_root.Root);
    }
}
