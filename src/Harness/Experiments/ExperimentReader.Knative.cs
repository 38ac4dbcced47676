using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Experiments;

internal sealed partial class ExperimentReader
{
    private const int MaxNamespaceLength = 63;

    // A DNS-1123 label, which is what Kubernetes requires of a namespace name.
    private static readonly Regex NamespacePattern = new(
        "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        RegexOptions.CultureInvariant
    );

    // Registry host (optionally with a port) and repository path, without a scheme or a tag.
    private static readonly Regex ImageRepositoryPattern = new(
        "^[A-Za-z0-9]([A-Za-z0-9._:/-]*[A-Za-z0-9])?$",
        RegexOptions.CultureInvariant
    );

    // Returns null when the file has no knative section. Invalid values are reported, and the
    // section is still returned so that checking goes on with the rest of the file.
    private KnativeSettings? ReadKnative(bool checkPaths)
    {
        if (!HasValues("knative"))
        {
            return null;
        }

        var defaults = new KnativeSettings();
        var kubeconfig = ReadValue("knative:kubeconfig");
        if (kubeconfig is not null && checkPaths && !File.Exists(kubeconfig))
        {
            Report(
                "knative:kubeconfig",
                $"file {Quote(kubeconfig)} not found, expected {Expected("knative:kubeconfig")}"
            );
        }

        var vhivePath = ReadValue("knative:vhivePath");
        if (vhivePath is not null && checkPaths && !Directory.Exists(vhivePath))
        {
            Report(
                "knative:vhivePath",
                $"folder {Quote(vhivePath)} not found, expected {Expected("knative:vhivePath")}"
            );
        }

        var context = ReadValue("knative:context");
        if (context is not null && string.IsNullOrWhiteSpace(context))
        {
            ReportInvalid("knative:context", context);
        }

        var kubernetesNamespace = ReadValue("knative:namespace");
        if (
            kubernetesNamespace is not null
            && (
                kubernetesNamespace.Length > MaxNamespaceLength
                || !NamespacePattern.IsMatch(kubernetesNamespace)
            )
        )
        {
            ReportInvalid("knative:namespace", kubernetesNamespace);
        }

        var imageRepository = ReadValue("knative:imageRepository");
        if (
            imageRepository is not null
            && (
                imageRepository.Contains("://", StringComparison.Ordinal)
                || !ImageRepositoryPattern.IsMatch(imageRepository)
            )
        )
        {
            ReportInvalid("knative:imageRepository", imageRepository);
        }

        var ingress = ReadValue("knative:ingress");
        if (ingress is not null && !IsHostAndPort(ingress))
        {
            ReportInvalid("knative:ingress", ingress);
        }

        var templates = ReadValue("knative:templates");
        if (templates is not null && checkPaths && !Directory.Exists(templates))
        {
            Report(
                "knative:templates",
                $"folder {Quote(templates)} not found, expected {Expected("knative:templates")}"
            );
        }

        var nodeName = ReadValue("knative:nodeName");
        if (nodeName is not null && string.IsNullOrWhiteSpace(nodeName))
        {
            ReportInvalid("knative:nodeName", nodeName);
        }

        var scaleToZero = ReadNumber("knative:scaleToZeroSeconds", value =>
            value > 0 && value <= ExperimentSchema.MaxTimeoutSeconds
        );

        return new KnativeSettings
        {
            Kubeconfig = kubeconfig,
            Context = context,
            Namespace = kubernetesNamespace ?? defaults.Namespace,
            ImageRepository = imageRepository,
            VhivePath = vhivePath,
            UseKn = ReadBoolean("knative:useKn") ?? defaults.UseKn,
            Ingress = ingress,
            Templates = templates,
            ScaleToZeroSeconds = scaleToZero ?? defaults.ScaleToZeroSeconds,
            EvictImages = ReadBoolean("knative:evictImages") ?? defaults.EvictImages,
            NodeName = nodeName,
            ContainerdConfig = ReadValue("knative:containerdConfig") ?? defaults.ContainerdConfig,
            StargzRoot = ReadValue("knative:stargzRoot") ?? defaults.StargzRoot,
        };
    }

    // Accepts host:port with a port from 1 to 65535; the host may be a bracketed IPv6 address.
    private static bool IsHostAndPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || text.Any(char.IsWhiteSpace) || text.Contains('/'))
        {
            return false;
        }

        var portText = text[(colon + 1)..];
        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }
}
