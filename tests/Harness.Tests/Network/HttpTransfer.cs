namespace Harness.Tests.Network;

/// <summary>One request and its response as seen by the client.</summary>
/// <param name="Status">Status code from the response's status line.</param>
/// <param name="BodyBytes">Bytes of body received.</param>
/// <param name="SentAt">Stopwatch timestamp just before the request was sent.</param>
/// <param name="FirstReadAt">Stopwatch timestamp of the first read that returned body bytes.
/// </param>
/// <param name="BytesAfterFirstRead">Body bytes received after that first read.</param>
/// <param name="CompletedAt">Stopwatch timestamp of the read that completed the body.</param>
/// <param name="PatternIntact">True when every body byte matched the
/// <see cref="BlobServer"/> pattern.</param>
internal sealed record HttpTransfer(
    int Status,
    long BodyBytes,
    long SentAt,
    long FirstReadAt,
    long BytesAfterFirstRead,
    long CompletedAt,
    bool PatternIntact
);
