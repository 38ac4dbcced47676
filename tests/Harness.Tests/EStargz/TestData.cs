using System.Security.Cryptography;

namespace Harness.Tests.EStargz;

/// <summary>Deterministic file contents and digests computed independently of the writer.</summary>
internal static class TestData
{
    public static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Digest(ReadOnlySpan<byte> data) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>SHA-256 of no bytes, as published for the algorithm.</summary>
    public const string EmptyDigest =
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>SHA-256 of the single landmark byte 0x0f.</summary>
    public static readonly string LandmarkDigest = Digest([0x0f]);
}
