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

    // Levenshtein distance: insertions, deletions and substitutions each cost one edit.
    private static int EditDistance(string source, string target)
    {
        var previous = new int[target.Length + 1];
        var current = new int[target.Length + 1];
        for (var j = 0; j <= target.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= source.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= target.Length; j++)
            {
                var substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[target.Length];
    }
}
