using System.Buffers;

namespace Harness.EStargz;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>, usable both as an
/// <see cref="IBufferWriter{T}"/> and, through <see cref="AsStream"/>, as a write-only stream.
/// Renting keeps a multi-gigabyte conversion from allocating a fresh array per gzip member.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;

    public PooledBuffer(int initialCapacity)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 4096));
    }

    /// <summary>Number of bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>The bytes written so far, as memory for asynchronous writes.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Length);

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _array.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _array.AsSpan(Length);
    }

    /// <summary>Returns a stream that appends what is written to it to this buffer.</summary>
    public Stream AsStream() => new AppendStream(this);

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        var needed = (long)Length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"A gzip member batch would exceed {Array.MaxLength} bytes; lower the chunk size."
            );
        }

        var grown = ArrayPool<byte>.Shared.Rent(
            (int)Math.Min(Math.Max(needed, 2L * _array.Length), Array.MaxLength)
        );
        _array.AsSpan(0, Length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_array);
        _array = grown;
    }

    private sealed class AppendStream(PooledBuffer buffer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => buffer.Length;

        public override long Position
        {
            get => buffer.Length;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> source)
        {
            source.CopyTo(buffer.GetSpan(source.Length));
            buffer.Advance(source.Length);
        }

        public override void Write(byte[] source, int offset, int count) =>
            Write(source.AsSpan(offset, count));

        public override void Flush() { }

        public override int Read(byte[] destination, int offset, int count) =>
            throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
