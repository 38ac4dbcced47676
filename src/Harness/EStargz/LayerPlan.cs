namespace Harness.EStargz;

/// <summary>
/// The entries of the output layer in blob order: prioritized files (with their parent
/// directories and hard link targets), then the landmark, then everything else in input order.
/// Built from one pass over the input's headers, following the Go library's
/// <c>estargz.Build</c> (0.12.0) so both produce the same TOC entries in the same order.
/// </summary>
internal sealed class LayerPlan
{
    private readonly List<TarEntryHeader?> _input = [];
    private readonly Dictionary<string, int> _inputIndex = new(StringComparer.Ordinal);
    private readonly List<TarEntryHeader> _prioritized = [];
    private readonly HashSet<string> _prioritizedNames = new(StringComparer.Ordinal);

    private LayerPlan() { }

    /// <summary>Entries in output order, the landmark included (its data offset is -1).</summary>
    public IReadOnlyList<TarEntryHeader> Entries { get; private set; } = [];

    /// <summary>Prioritized paths that the layer does not contain; they are left out.</summary>
    public IReadOnlyList<string> MissingPrioritizedFiles { get; private set; } = [];

    /// <summary>Reads the headers of the tar in <paramref name="source"/> and orders
    /// them.</summary>
    public static LayerPlan Read(
        Stream source,
        string sourceName,
        IReadOnlyList<string>? prioritizedFiles,
        CancellationToken cancellationToken
    )
    {
        var plan = new LayerPlan();
        var reader = new TarHeaderReader(source, sourceName, source.Position);
        while (reader.ReadNext() is { } header)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (source.CanSeek && header.DataOffset + header.Size > source.Length)
            {
                throw new InvalidDataException(
                    $"{sourceName}: the tar archive ends inside '{header.Name}': its "
                        + $"{header.Size} data bytes start at offset {header.DataOffset}, but the "
                        + $"archive has {source.Length} bytes. The file is truncated."
                );
            }

            plan.Add(header);
        }

        plan.Order(prioritizedFiles ?? []);
        return plan;
    }

    private void Add(TarEntryHeader header)
    {
        var name = EntryName.Clean(header.Name);

        // Landmarks of an earlier conversion are replaced, and an existing TOC is dropped,
        // so converting an eStargz layer's tar again gives a well-formed result.
        if (
            name
            is EStargzFormat.PrefetchLandmark
                or EStargzFormat.NoPrefetchLandmark
                or EStargzFormat.TocTarName
        )
        {
            return;
        }

        // A later entry of the same name replaces the earlier one, as it would on extraction,
        // and takes the later position.
        if (_inputIndex.TryGetValue(name, out var earlier))
        {
            _input[earlier] = null;
        }

        _inputIndex[name] = _input.Count;
        _input.Add(header);
    }

    private void Order(IReadOnlyList<string> prioritizedFiles)
    {
        var missing = new List<string>();
        foreach (var file in prioritizedFiles)
        {
            if (!MoveToPrioritized(file))
            {
                missing.Add(file);
            }
        }

        var landmarkName =
            prioritizedFiles.Count == 0
                ? EStargzFormat.NoPrefetchLandmark
                : EStargzFormat.PrefetchLandmark;
        var entries = new List<TarEntryHeader>(_prioritized.Count + _input.Count + 1);
        entries.AddRange(_prioritized);
        entries.Add(
            new TarEntryHeader
            {
                Name = landmarkName,
                TypeFlag = TarFormat.TypeRegular,
                Size = 1,
                DataOffset = -1,
            }
        );
        foreach (var header in _input)
        {
            if (header is not null)
            {
                entries.Add(header);
            }
        }

        Entries = entries;
        MissingPrioritizedFiles = missing;
    }

    /// <summary>
    /// Moves an entry to the prioritized list, its parent directories first and a hard link's
    /// target before the link. Returns false when it or a parent is not in the layer. Parents
    /// moved before a failure stay moved, as in the Go library.
    /// </summary>
    private bool MoveToPrioritized(string path)
    {
        var name = EntryName.Clean(path);
        if (name.Length == 0)
        {
            // The root directory ("./" in many layers) is moved when present; it is never
            // missing, because every path has it.
            Move(name);
            return true;
        }

        if (!_inputIndex.ContainsKey(name) && !_prioritizedNames.Contains(name))
        {
            return false;
        }

        if (!MoveToPrioritized(EntryName.Parent(name)))
        {
            return false;
        }

        if (
            _inputIndex.TryGetValue(name, out var index)
            && _input[index]!.TypeFlag == TarFormat.TypeHardLink
            && EntryName.Clean(_input[index]!.LinkName) != name
            && !MoveToPrioritized(_input[index]!.LinkName)
        )
        {
            return false;
        }

        Move(name);
        return true;
    }

    private void Move(string name)
    {
        if (!_inputIndex.Remove(name, out var index))
        {
            return;
        }

        _prioritized.Add(_input[index]!);
        _input[index] = null;
        _prioritizedNames.Add(name);
    }
}
