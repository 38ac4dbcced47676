using System.Security.Cryptography;
using System.Text;

namespace Harness.Images;

/// <summary>Derives cache keys from the inputs that determine a cached result.</summary>
public static class ContentKey
{
    /// <summary>Returns the first 24 hex digits of the SHA-256 of the parts, each on a line.
    /// </summary>
    public static string Of(params string[] parts)
    {
        var text = string.Join("\n", parts.Select(part => part.Replace("\n", "\\n")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }
}
