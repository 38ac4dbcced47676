using System.Text.Json.Nodes;
using Harness.Backends.Knative;
using Harness.Images;
using Harness.Workloads;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>Rendering the Knative Service templates of <c>configs/knative_workloads</c>.
/// </summary>
public sealed class KnativeServiceTemplateTests : IDisposable
{
    private static readonly WorkloadManifest Workload = new()
    {
        Name = "nodejs-hello-world",
        Entrypoint = ["node", "server.js"],
        Environment = new Dictionary<string, string> { ["NODE_ENV"] = "production" },
        WorkingDirectory = "/app",
        Port = 3000,
    };

    private readonly string folder = Directory.CreateTempSubdirectory("harness-ksvc-").FullName;

    private static string RepositoryTemplates =>
        Path.Combine(HarnessPaths.RepositoryRoot, "configs", "knative_workloads");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(ImageVariant.EStargz, "nodejs-stargz.yaml", "estargz")]
    [InlineData(ImageVariant.EStargzNoopt, "nodejs-stargz.yaml", "estargz")]
    [InlineData(ImageVariant.Overlayfs, "nodejs-overlayfs.yaml", "gzip")]
    public void RepositoryTemplateRendersForEachVariant(
        ImageVariant variant,
        string template,
        string imageFormat
    )
    {
        var manifest = new KnativeServiceTemplate(RepositoryTemplates).Render(
            Workload,
            variant,
            "127.0.0.1:5000/app@sha256:ab",
            "bench",
            "a1b2c3"
        );

        Assert.Equal(template, Path.GetFileName(manifest.TemplatePath));
        Assert.Equal($"nodejs-hello-world-{variant.ToName()}-a1b2c3", manifest.Name);
        Assert.Equal("user-container", manifest.ContainerName);
        var body = manifest.Body;
        Assert.Equal(manifest.Name, body["metadata"]!["name"]!.ToString());
        Assert.Equal("bench", body["metadata"]!["namespace"]!.ToString());
        var labels = body["metadata"]!["labels"]!;
        Assert.Equal(imageFormat, labels["cold-start-harness/image-format"]!.ToString());
        Assert.Equal("a1b2c3", labels["cold-start-harness/run"]!.ToString());
        Assert.Equal(variant.ToName(), labels["cold-start-harness/variant"]!.ToString());
        var template2 = body["spec"]!["template"]!;
        Assert.Equal(
            "a1b2c3",
            template2["metadata"]!["labels"]!["cold-start-harness/run"]!.ToString()
        );
        Assert.Equal(
            "6s",
            template2["metadata"]!["annotations"]![
                "autoscaling.knative.dev/window"
            ]!.GetValue<string>()
        );
        var container = template2["spec"]!["containers"]![0]!.AsObject();
        Assert.Equal(3000, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("/app", container["workingDir"]!.ToString());
        var environment = container["env"]!
            .AsArray()
            .ToDictionary(
                entry => entry!["name"]!.ToString(),
                entry => entry!["value"]!.ToString()
            );
        Assert.Equal(variant.ToName(), environment["HARNESS_VARIANT"]);
        Assert.Equal("production", environment["NODE_ENV"]);
    }

    [Fact]
    public void TemplateValuesOverriddenByHarness()
    {
        WriteTemplate(
            "fn-stargz.yaml",
            """
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: something-else
            spec:
              template:
                metadata:
                  annotations:
                    autoscaling.knative.dev/target: "10"
                    autoscaling.knative.dev/min-scale: "2"
                spec:
                  containerConcurrency: 0
                  containers:
                    - name: fn
                      image: docker.io/library/busybox
                      command: ["/bin/fn"]
            """
        );
        var workload = Workload with { Name = "fn" };

        var manifest = new KnativeServiceTemplate(folder).Render(
            workload,
            ImageVariant.EStargz,
            "img@sha256:01",
            "default",
            "ffffff"
        );

        var template = manifest.Body["spec"]!["template"]!;
        var annotations = template["metadata"]!["annotations"]!;
        Assert.Equal("1", annotations["autoscaling.knative.dev/target"]!.GetValue<string>());
        Assert.Equal("0", annotations["autoscaling.knative.dev/min-scale"]!.GetValue<string>());
        Assert.Equal(1, template["spec"]!["containerConcurrency"]!.GetValue<int>());
        var container = template["spec"]!["containers"]![0]!;
        Assert.Equal("img@sha256:01", container["image"]!.ToString());

        // A command in the template wins over the workload's entrypoint.
        Assert.Equal(["/bin/fn"], container["command"]!.AsArray().Select(x => x!.ToString()));
        Assert.Equal("fn", manifest.ContainerName);
        Assert.Equal("fn-estargz-ffffff", manifest.Name);
    }

    [Fact]
    public void MissingTemplateListsPathsTried()
    {
        var template = new KnativeServiceTemplate(folder);

        var exception = Assert.Throws<HarnessException>(() =>
            template.FindTemplate("python-hello", ImageVariant.Overlayfs)
        );

        Assert.Contains(Path.Combine(folder, "python-hello-overlayfs.yaml"), exception.Message);
        Assert.Contains(Path.Combine(folder, "python-overlayfs.yaml"), exception.Message);
    }

    [Fact]
    public void TemplateWithTwoContainersIsRejected()
    {
        WriteTemplate(
            "two-stargz.yaml",
            """
            apiVersion: serving.knative.dev/v1
            kind: Service
            spec:
              template:
                spec:
                  containers:
                    - image: a
                    - image: b
            """
        );

        var exception = Assert.Throws<HarnessException>(() =>
            new KnativeServiceTemplate(folder).Render(
                Workload with
                {
                    Name = "two",
                },
                ImageVariant.EStargz,
                "i",
                "default",
                "r"
            )
        );

        Assert.Contains("exactly one container", exception.Message);
    }

    [Fact]
    public void TemplateOfOtherKindIsRejected()
    {
        WriteTemplate("pod-stargz.yaml", "apiVersion: v1\nkind: Pod\n");

        var exception = Assert.Throws<HarnessException>(() =>
            new KnativeServiceTemplate(folder).Render(
                Workload with
                {
                    Name = "pod",
                },
                ImageVariant.EStargz,
                "i",
                "default",
                "r"
            )
        );

        Assert.Contains("must be a Knative Service", exception.Message);
    }

    [Theory]
    [InlineData("nodejs-hello", ImageVariant.EStargz, "nodejs-hello-estargz-abc123")]
    [InlineData("Node_JS.Hello", ImageVariant.Overlayfs, "node-js-hello-overlayfs-abc123")]
    [InlineData("3d-render", ImageVariant.EStargzNoopt, "fn-3d-render-estargz-noopt-abc123")]
    [InlineData(
        "a-very-long-workload-name-that-goes-on-and-on",
        ImageVariant.EStargzNoopt,
        "a-very-long-workloa-estargz-noopt-abc123"
    )]
    public void ServiceNameIsValidKubernetesName(
        string workload,
        ImageVariant variant,
        string expected
    )
    {
        var name = KnativeServiceTemplate.ServiceName(workload, variant, "abc123");

        Assert.Equal(expected, name);
        Assert.True(name.Length <= KnativeServiceTemplate.MaxServiceNameLength);
    }

    [Fact]
    public void YamlScalarsKeepTheirTypes()
    {
        var node = YamlToJson
            .Convert(
                """
                count: 1
                quoted: "1"
                ratio: 0.5
                flag: true
                empty: ~
                text: 1.2.3
                list: [a, 2]
                """
            )!
            .AsObject();

        Assert.Equal(1, node["count"]!.GetValue<long>());
        Assert.Equal("1", node["quoted"]!.GetValue<string>());
        Assert.Equal(0.5, node["ratio"]!.GetValue<double>());
        Assert.True(node["flag"]!.GetValue<bool>());
        Assert.Null(node["empty"]);
        Assert.Equal("1.2.3", node["text"]!.GetValue<string>());
        Assert.Equal(2, node["list"]![1]!.GetValue<long>());
    }

    private void WriteTemplate(string name, string text) =>
        File.WriteAllText(Path.Combine(folder, name), text);
}
