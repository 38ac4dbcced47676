namespace Harness.Reporting;

/// <summary>The machine a run measured on, as recorded in <c>manifest.json</c>.</summary>
public sealed record HostDescription
{
    /// <summary>Output of <c>uname -srvm</c>: kernel name, release, version and machine.
    /// </summary>
    public required string Kernel { get; init; }

    /// <summary><c>PRETTY_NAME</c> from <c>/etc/os-release</c>; null when absent.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>First <c>model name</c> of <c>/proc/cpuinfo</c>; null when absent.</summary>
    public string? CpuModel { get; init; }

    /// <summary>Logical processors available to the harness.</summary>
    public required int CpuCount { get; init; }

    /// <summary><c>MemTotal</c> of <c>/proc/meminfo</c> in bytes; null when absent.</summary>
    public long? MemoryBytes { get; init; }
}
