using System.Buffers;

namespace Harness.EStargz;

/// <summary>
/// A write-only stream that stores its bytes in fixed-size segments rented from
/// <see cref="ArrayPool{T}.Shared"/>. Compressed output of unknown size lands here, so no
/// contiguous array has to be over-sized to the next power of two.
/// </summary>
internal sealed class SegmentedBuffer : Stream
{
    private const int SegmentSize = 256 * 1024;
    private readonly List<byte[]> _segments = [];
    private int _lastSegmentLength = SegmentSize;
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <summary>The stored bytes, segment by segment, in order.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Segments
    {
        get
        {
            for (var i = 0; i < _segments.Count; i++)
            {
                var length = i == _segments.Count - 1 ? _lastSegmentLength : SegmentSize;
                yield return _segments[i].AsMemory(0, length);
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> source)
    {
        while (source.Length > 0)
        {
            if (_lastSegmentLength == SegmentSize)
            {
                _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
                _lastSegmentLength = 0;
            }

            var count = Math.Min(source.Length, SegmentSize - _lastSegmentLength);
            source[..count].CopyTo(_segments[^1].AsSpan(_lastSegmentLength));
            _lastSegmentLength += count;
            _length += count;
            source = source[count..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        Write(buffer.AsSpan(offset, count));

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _lastSegmentLength = SegmentSize;
        _length = 0;
        base.Dispose(disposing);
    }
}
