using System.Buffers;

namespace Harness.EStargz;

/// <summary>
/// Consecutive gzip members of the uncompressed layer, gathered into one buffer so that a
/// worker compresses many small members in one task.
/// </summary>
internal sealed class MemberBatch : IBufferWriter<byte>, IDisposable
{
    private readonly PooledBuffer _buffer;
    private readonly List<GzipMember> _members = [];
    private int _memberStart;
    private TocEntry? _memberChunkEntry;
    private int _memberChunkLength;

    public MemberBatch(int initialCapacity)
    {
        _buffer = new PooledBuffer(initialCapacity);
    }

    /// <summary>Uncompressed bytes in the batch so far.</summary>
    public int Length => _buffer.Length;

    /// <summary>Uncompressed bytes in the member being filled.</summary>
    public int CurrentMemberLength => _buffer.Length - _memberStart;

    /// <summary>The batch's uncompressed bytes.</summary>
    public ReadOnlySpan<byte> Uncompressed => _buffer.WrittenSpan;

    /// <summary>The members, valid after <see cref="Complete"/>.</summary>
    public IReadOnlyList<GzipMember> Members => _members;

    /// <summary>Ends the current member and starts a new one, optionally at a chunk's
    /// data.</summary>
    public void StartMember(TocEntry? chunkEntry, int chunkLength)
    {
        CloseCurrentMember();
        _memberChunkEntry = chunkEntry;
        _memberChunkLength = chunkLength;
    }

    /// <summary>Ends the last member; nothing may be written afterwards.</summary>
    public void Complete() => CloseCurrentMember();

    public void Advance(int count) => _buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    public void Dispose() => _buffer.Dispose();

    private void CloseCurrentMember()
    {
        var length = _buffer.Length - _memberStart;
        if (length > 0 || _memberChunkEntry is not null)
        {
            _members.Add(
                new GzipMember(_memberStart, length, _memberChunkEntry, _memberChunkLength)
            );
        }

        _memberStart = _buffer.Length;
        _memberChunkEntry = null;
        _memberChunkLength = 0;
    }
}
