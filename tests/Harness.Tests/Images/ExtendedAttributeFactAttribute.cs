using Xunit;

namespace Harness.Tests.Images;

/// <summary>A test that stores user extended attributes in the temporary folder, skipped when
/// its file system does not support them.</summary>
public sealed class ExtendedAttributeFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Supported = new(() =>
    {
        using var tree = new TemporaryTree("harness-xattr-probe-");
        tree.File("probe", "");
        return tree.TrySetAttribute("probe", "user.harness-probe", "1");
    });

    public ExtendedAttributeFactAttribute()
    {
        if (!Supported.Value)
        {
            Skip =
                $"The file system of {Path.GetTempPath()} does not store user extended "
                + "attributes.";
        }
    }
}
