namespace Harness.Backends.Knative;

/// <summary>Reads the table that <c>ctr images ls</c> prints.</summary>
internal static class ContainerdImageListing
{
    /// <summary>
    /// Returns every image name in <paramref name="listing"/> that points at the same manifest
    /// as <paramref name="imageReference"/>: the name kubelet pulled, its tag or digest twins
    /// and the <c>sha256:</c> image ID that the CRI plugin adds.
    /// </summary>
    public static IReadOnlyList<string> FindNamesOfSameImage(string listing, string imageReference)
    {
        // Columns: REF TYPE DIGEST SIZE PLATFORMS LABELS, separated by whitespace.
        var rows = listing
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 3)
            .Select(columns => (Name: columns[0], Digest: columns[2]))
            .ToList();

        // Names of other tags in the same repository may point at other variants, so only
        // the manifest digest links names together.
        var digests = rows.Where(row => row.Name == imageReference)
            .Select(row => row.Digest)
            .ToHashSet();
        var at = imageReference.IndexOf('@');
        if (at >= 0)
        {
            digests.Add(imageReference[(at + 1)..]);
        }

        return rows.Where(row => digests.Contains(row.Digest)).Select(row => row.Name).ToList();
    }
}
