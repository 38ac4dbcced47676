namespace Harness.Workloads;

/// <summary>
/// What the harness needs to run and trigger a workload: read from <c>workload.json</c> in the
/// workload's folder under <c>src/Workloads</c>.
/// </summary>
public sealed record WorkloadManifest
{
    /// <summary>Folder name, also used as the image repository name.</summary>
    public required string Name { get; init; }

    /// <summary>Command line of the function's process inside the image.</summary>
    public required IReadOnlyList<string> Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } =
        new Dictionary<string, string>();

    public string WorkingDirectory { get; init; } = "/";

    /// <summary>TCP port the function listens on, bound to 127.0.0.1.</summary>
    public required int Port { get; init; }

    /// <summary>HTTP path polled until it answers 2xx.</summary>
    public string ReadinessPath { get; init; } = "/";

    /// <summary>HTTP path of the triggering request, sent once the function is ready.</summary>
    public string TriggerPath { get; init; } = "/";
}
