namespace Harness.Images;

/// <summary>Converts image variants to and from the names used in files, CSV and figures.</summary>
public static class ImageVariantNames
{
    public const string Overlayfs = "overlayfs";
    public const string EStargzNoopt = "estargz-noopt";
    public const string EStargz = "estargz";

    /// <summary>All variant names in their canonical order: baseline first.</summary>
    public static IReadOnlyList<string> All { get; } = [Overlayfs, EStargzNoopt, EStargz];

    public static string ToName(this ImageVariant variant) =>
        variant switch
        {
            ImageVariant.Overlayfs => Overlayfs,
            ImageVariant.EStargzNoopt => EStargzNoopt,
            ImageVariant.EStargz => EStargz,
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
        };

    /// <summary>Parses a variant name; returns false for anything not in
    /// <see cref="All"/>.</summary>
    public static bool TryParse(string? name, out ImageVariant variant)
    {
        switch (name)
        {
            case Overlayfs:
                variant = ImageVariant.Overlayfs;
                return true;
            case EStargzNoopt:
                variant = ImageVariant.EStargzNoopt;
                return true;
            case EStargz:
                variant = ImageVariant.EStargz;
                return true;
            default:
                variant = default;
                return false;
        }
    }

    /// <summary>True for variants whose layers the stargz snapshotter mounts lazily.</summary>
    public static bool IsLazy(this ImageVariant variant) => variant != ImageVariant.Overlayfs;
}
