namespace Harness.Network;

/// <summary>Bytes read from one side of a connection, waiting to be delivered to the other.
/// </summary>
/// <param name="Buffer">A rented buffer that contains the bytes, or null for end of stream.</param>
/// <param name="Length">Number of bytes at the start of <paramref name="Buffer"/>.</param>
/// <param name="Schedule">When the chunk reaches the far end of the link.</param>
internal readonly record struct LinkChunk(byte[]? Buffer, int Length, LinkSchedule Schedule)
{
    /// <summary>True for the marker that the sending side closed its half of the connection.
    /// </summary>
    public bool IsEndOfStream => Buffer is null;
}
