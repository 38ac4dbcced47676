namespace Harness.Experiments;

/// <summary>Suggests the known word a misspelt one was probably meant to be.</summary>
internal static class SpellingHint
{
    /// <summary>
    /// Returns the candidate closest to <paramref name="found"/> by edit distance, ignoring
    /// case, or null when none is close: at most one edit per three letters, and at most three.
    /// </summary>
    public static string? FindClosest(string found, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(found.ToLowerInvariant(), candidate.ToLowerInvariant());
            var allowed = Math.Clamp(candidate.Length / 3, 1, 3);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Formats the hint to append to a message, such as
    /// <c> (did you mean `repetitions`?)</c>, or an empty string when nothing is close.</summary>
    public static string Format(string found, IEnumerable<string> candidates)
    {
        var closest = FindClosest(found, candidates);
        return closest is null ? "" : $" (did you mean `{closest}`?)";
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    // adjacent letters each cost one edit, so "sede" is one edit from "seed".
    private static int EditDistance(string source, string target)
    {
        var distances = new int[source.Length + 1, target.Length + 1];
        for (var i = 0; i <= source.Length; i++)
        {
            distances[i, 0] = i;
        }

        for (var j = 0; j <= target.Length; j++)
        {
            distances[0, j] = j;
        }

        for (var i = 1; i <= source.Length; i++)
        {
            for (var j = 1; j <= target.Length; j++)
            {
                var cost = source[i - 1] == target[j - 1] ? 0 : 1;
                var best = Math.Min(
                    distances[i - 1, j - 1] + cost,
                    Math.Min(distances[i - 1, j], distances[i, j - 1]) + 1
                );
                if (
                    i > 1
                    && j > 1
                    && source[i - 1] == target[j - 2]
                    && source[i - 2] == target[j - 1]
                )
                {
                    best = Math.Min(best, distances[i - 2, j - 2] + 1);
                }

                distances[i, j] = best;
            }
        }

        return distances[source.Length, target.Length];
    }
}
