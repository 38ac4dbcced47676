using System.Buffers;

namespace Harness.Images;

/// <summary>
/// Computes the layer that turns a lower root filesystem into an upper one. It contains new and
/// changed objects as they are in the upper tree, whiteouts for deleted ones (OCI image spec,
/// layer.md, "Representing Changes"), and the parent folders of all of them.
/// </summary>
public static class LayerDiff
{
    /// <summary>Compares two scanned trees and returns the entries of the change layer.</summary>
    /// <remarks>Two trees cannot show whether a folder was deleted and created again, so this
    /// diff never emits opaque whiteouts, and each deleted path gets its own whiteout.</remarks>
    public static IReadOnlyList<LayerEntry> Compute(
        IReadOnlyList<FileTreeEntry> lower,
        IReadOnlyList<FileTreeEntry> upper,
        CancellationToken cancellationToken
    )
    {
        var lowerByPath = lower.ToDictionary(entry => entry.Path, StringComparer.Ordinal);
        var upperByPath = upper.ToDictionary(entry => entry.Path, StringComparer.Ordinal);
        var result = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal);

        foreach (var entry in upper)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!lowerByPath.TryGetValue(entry.Path, out var before) || Differs(before, entry))
            {
                result[entry.Path] = LayerEntry.FromTree(entry);
            }
        }

        foreach (var entry in lower)
        {
            if (upperByPath.ContainsKey(entry.Path))
            {
                continue;
            }

            // Only the topmost deleted path needs a whiteout: its children go with it. When
            // the parent turned into a file, the new file already replaces the whole folder.
            var parent = ParentOf(entry.Path);
            if (
                parent is null
                || (
                    upperByPath.TryGetValue(parent, out var upperParent)
                    && upperParent.Type == FileTreeEntryType.Directory
                )
            )
            {
                var whiteout = LayerEntry.Whiteout(entry.Path);
                result[whiteout.Name] = whiteout;
            }
        }

        // Include the folders above every change so that extraction restores their metadata
        // in the same way as image builders do.
        foreach (var name in result.Keys.ToList())
        {
            for (var parent = ParentOf(name); parent is not null; parent = ParentOf(parent))
            {
                if (result.ContainsKey(parent))
                {
                    break;
                }

                result[parent] = LayerEntry.FromTree(upperByPath[parent]);
            }
        }

        return result.Values.ToList();
    }

    /// <summary>True when <paramref name="after"/> has different metadata or content than
    /// <paramref name="before"/>. Modification times are ignored because layers drop them.
    /// </summary>
    public static bool Differs(FileTreeEntry before, FileTreeEntry after)
    {
        if (
            before.Type != after.Type
            || before.Mode != after.Mode
            || before.UserId != after.UserId
            || before.GroupId != after.GroupId
            || before.Size != after.Size
            || before.LinkTarget != after.LinkTarget
            || before.DeviceMajor != after.DeviceMajor
            || before.DeviceMinor != after.DeviceMinor
        )
        {
            return true;
        }

        if (!SameAttributes(before.ExtendedAttributes, after.ExtendedAttributes))
        {
            return true;
        }

        return before.Type == FileTreeEntryType.RegularFile
            && !SameContent(before.SourcePath, after.SourcePath);
    }

    private static bool SameAttributes(
        IReadOnlyDictionary<string, byte[]> left,
        IReadOnlyDictionary<string, byte[]> right
    )
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (name, value) in left)
        {
            if (!right.TryGetValue(name, out var other) || !value.AsSpan().SequenceEqual(other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameContent(string leftPath, string rightPath)
    {
        const int ChunkSize = 1 << 16;
        using var left = new FileStream(
            leftPath,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            0,
            FileOptions.SequentialScan
        );
        using var right = new FileStream(
            rightPath,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            0,
            FileOptions.SequentialScan
        );
        var leftBuffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var rightBuffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            return SameBytes(left, right, leftBuffer, rightBuffer, ChunkSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(leftBuffer);
            ArrayPool<byte>.Shared.Return(rightBuffer);
        }
    }

    private static bool SameBytes(
        Stream left,
        Stream right,
        byte[] leftBuffer,
        byte[] rightBuffer,
        int chunkSize
    )
    {
        while (true)
        {
            var leftRead = left.ReadAtLeast(
                leftBuffer.AsSpan(0, chunkSize),
                chunkSize,
                throwOnEndOfStream: false
            );
            var rightRead = right.ReadAtLeast(
                rightBuffer.AsSpan(0, chunkSize),
                chunkSize,
                throwOnEndOfStream: false
            );
            if (
                leftRead != rightRead
                || !leftBuffer.AsSpan(0, leftRead).SequenceEqual(rightBuffer.AsSpan(0, rightRead))
            )
            {
                return false;
            }

            if (leftRead < chunkSize)
            {
                return true;
            }
        }
    }

    private static string? ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? null : path[..slash];
    }
}
