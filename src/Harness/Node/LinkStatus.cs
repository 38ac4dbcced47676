namespace Harness.Node;

/// <summary>Reads whether a run is shaping the link between node and registry.</summary>
public static class LinkStatus
{
    /// <summary>File a run writes while it shapes the link: its pid and the settings.</summary>
    public static string StateFile(NodeLayout layout) => Path.Combine(layout.RunRoot, "link.json");

    /// <summary>Describes the link for <c>harness node status</c>.</summary>
    public static string Describe(NodeLayout layout)
    {
        var path = StateFile(layout);
        if (!File.Exists(path))
        {
            return "emulation off (loopback, unshaped)";
        }

        return $"emulation state in {path}";
    }
}
