namespace Harness.Workloads;

/// <summary>
/// Debian root filesystem that forms an image's base layer, made by
/// <c>debootstrap --variant=VARIANT SUITE DIR MIRROR</c>.
/// </summary>
public sealed record WorkloadBaseSystem
{
    /// <summary>Debian release name passed to debootstrap, such as <c>bookworm</c>.</summary>
    public string Suite { get; init; } = "bookworm";

    /// <summary>Package mirror URL that debootstrap and apt-get download from.</summary>
    public string Mirror { get; init; } = "http://deb.debian.org/debian";

    /// <summary>debootstrap variant. <c>minbase</c> gives the essential packages and apt.</summary>
    public string Variant { get; init; } = "minbase";
}
