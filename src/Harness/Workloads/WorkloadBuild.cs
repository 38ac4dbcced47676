namespace Harness.Workloads;

/// <summary>
/// How a workload's image is assembled: a base layer from debootstrap, a runtime layer with
/// the Debian packages the function needs, and an application layer with its code.
/// </summary>
public sealed record WorkloadBuild
{
    /// <summary>Debian system of the base layer.</summary>
    public WorkloadBaseSystem Base { get; init; } = new();

    /// <summary>Debian packages installed with apt-get on top of the base for the runtime layer.
    /// </summary>
    public required IReadOnlyList<string> RuntimePackages { get; init; }

    /// <summary>Files of the application layer.</summary>
    public required WorkloadApplication Application { get; init; }
}
