using System.Security.Cryptography;

namespace Harness.Images;

/// <summary>
/// Write-only stream that computes the SHA-256 digest and length of everything written to it
/// and passes the bytes on to an inner stream, if any.
/// </summary>
public sealed class HashingStream : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Stream? _inner;
    private readonly bool _leaveOpen;
    private string? _digest;

    /// <summary>Creates a stream that hashes and forwards to <paramref name="inner"/>, or only
    /// hashes when it is null.</summary>
    public HashingStream(Stream? inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Number of bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Digest as <c>sha256:HEX</c>. Writing after reading it is an error.</summary>
    public string Digest =>
        _digest ??= "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureOpenForWriting();
        _hash.AppendData(buffer);
        BytesWritten += buffer.Length;
        _inner?.Write(buffer);
    }

    public override async ValueTask WriteAsync(
        ReadOnlyMemory<byte> buffer,
        CancellationToken cancellationToken = default
    )
    {
        EnsureOpenForWriting();
        _hash.AppendData(buffer.Span);
        BytesWritten += buffer.Length;
        if (_inner is not null)
        {
            await _inner.WriteAsync(buffer, cancellationToken);
        }
    }

    public override Task WriteAsync(
        byte[] buffer,
        int offset,
        int count,
        CancellationToken cancellationToken
    ) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _inner?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen)
            {
                _inner?.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void EnsureOpenForWriting()
    {
        if (_digest is not null)
        {
            throw new InvalidOperationException("The digest was already read; no more writes.");
        }
    }
}
