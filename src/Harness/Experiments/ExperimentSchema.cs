using Harness.Images;

namespace Harness.Experiments;

/// <summary>
/// The keys an experiment file may contain and the values each accepts. Unknown keys are
/// errors, so a misspelt setting cannot be silently ignored.
/// </summary>
internal static class ExperimentSchema
{
    public const int MaxRepetitions = 10_000;
    public const int MaxWarmup = 10_000;
    public const int MaxNameLength = 100;

    // A day: no pull, start or request of a function under test should come near it, so a
    // larger value is almost certainly a unit mistake (milliseconds written as seconds).
    public const double MaxTimeoutSeconds = 86_400;

    // Upper limits that catch unit mistakes: no registry link worth emulating is faster than
    // 100 Gbit/s or has a round trip longer than 10 s.
    public const double MaxBandwidthMbit = 100_000;
    public const double MaxRttMs = 10_000;

    public const string LocalBackend = "local";
    public const string KnativeBackend = "knative";

    /// <summary>Names of the backends a file may choose.</summary>
    public static IReadOnlyList<string> Backends { get; } = [LocalBackend, KnativeBackend];

    private const string TimeoutExpected = "a number of seconds greater than 0 and at most 86400";

    /// <summary>The top-level object of an experiment file.</summary>
    public static SettingNode Root { get; } =
        SettingNode.Section(
            "",
            SettingNode.Scalar(
                "name",
                "a name of letters, digits, '.', '_' and '-' that starts with a letter or digit, "
                    + $"at most {MaxNameLength} characters"
            ),
            SettingNode.Scalar("description", "text"),
            SettingNode.List("workloads", "a list of workload folder names"),
            SettingNode.List(
                "variants",
                $"a list of variants from {string.Join(", ", ImageVariantNames.All)}"
            ),
            SettingNode.Scalar("repetitions", $"a whole number from 1 to {MaxRepetitions}"),
            SettingNode.Scalar("warmup", $"a whole number from 0 to {MaxWarmup}"),
            SettingNode.Section(
                "order",
                SettingNode.Scalar("shuffle", "true or false"),
                SettingNode.Scalar(
                    "seed",
                    $"a whole number from 0 to {int.MaxValue}, or null to draw one"
                )
            ),
            SettingNode.Section(
                "timeouts",
                SettingNode.Scalar("pullSeconds", TimeoutExpected),
                SettingNode.Scalar("readySeconds", TimeoutExpected),
                SettingNode.Scalar("requestSeconds", TimeoutExpected)
            ),
            SettingNode.Scalar("backend", string.Join(" or ", Backends)),
            SettingNode.Section(
                "network",
                SettingNode.Scalar(
                    "bandwidthMbit",
                    $"a number of megabits per second greater than 0 and at most {MaxBandwidthMbit}"
                ),
                SettingNode.Scalar("rttMs", $"a number of milliseconds from 0 to {MaxRttMs}"),
                SettingNode.Scalar(
                    "lossPercent",
                    "a percentage from 0 up to, but not including, 100"
                )
            ),
            SettingNode.Section(
                "knative",
                SettingNode.Scalar("kubeconfig", "the path of an existing kubeconfig file"),
                SettingNode.Scalar("context", "the name of a kubeconfig context"),
                SettingNode.Scalar(
                    "namespace",
                    "a Kubernetes namespace name: lowercase letters, digits and '-', starting and "
                        + "ending with a letter or digit, at most 63 characters"
                ),
                SettingNode.Scalar(
                    "imageRepository",
                    "a registry and repository prefix such as 127.0.0.1:5000/harness"
                ),
                SettingNode.Scalar("vhivePath", "the path of an existing vHive checkout"),
                SettingNode.Scalar("useKn", "true or false"),
                SettingNode.Scalar("ingress", "host:port of the ingress, such as 127.0.0.1:31080"),
                SettingNode.Scalar(
                    "templates",
                    "the path of an existing folder of service templates"
                ),
                SettingNode.Scalar(
                    "scaleToZeroSeconds",
                    $"a number of seconds greater than 0 and at most {MaxTimeoutSeconds}"
                ),
                SettingNode.Scalar("evictImages", "true or false"),
                SettingNode.Scalar(
                    "nodeName",
                    "the name of the Kubernetes node the harness runs on"
                ),
                SettingNode.Scalar("containerdConfig", "the path of the node's containerd config"),
                SettingNode.Scalar(
                    "stargzRoot",
                    "the state folder of the node's stargz snapshotter"
                )
            )
        );

    /// <summary>Finds the setting for a configuration key such as <c>order:seed</c> or
    /// <c>variants:1</c>; null when some segment is unknown.</summary>
    public static SettingNode? Find(string configurationKey)
    {
        var node = Root;
        foreach (var segment in configurationKey.Split(':'))
        {
            if (node.Kind == SettingKind.List && int.TryParse(segment, out _))
            {
                continue;
            }

            var child = node.FindChild(segment);
            if (child is null)
            {
                return null;
            }

            node = child;
        }

        return node;
    }
}
