namespace Harness.Registry;

/// <summary>
/// Access scopes of the token protocol, <c>repository:NAME:ACTIONS</c> with comma-separated
/// actions, kept in a canonical order so that equal sets of scopes give the same cache key.
/// </summary>
internal static class RegistryScopes
{
    /// <summary>Scope to read a repository.</summary>
    public static string Pull(string repository) => $"repository:{repository}:pull";

    /// <summary>Scope to read and write a repository.</summary>
    public static string PullPush(string repository) => $"repository:{repository}:pull,push";

    /// <summary>Merges scope lists, joining the actions of scopes on the same resource, and
    /// sorts them; a challenge's space-separated scope list may be passed as one entry.</summary>
    public static IReadOnlyList<string> Merge(IEnumerable<string> scopes)
    {
        var actionsByResource = new SortedDictionary<string, SortedSet<string>>(
            StringComparer.Ordinal
        );
        foreach (
            var scope in scopes.SelectMany(entry =>
                entry.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            )
        )
        {
            // Actions never contain ':', so the resource is everything before the last one.
            var colon = scope.LastIndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var resource = scope[..colon];
            if (!actionsByResource.TryGetValue(resource, out var actions))
            {
                actions = new SortedSet<string>(StringComparer.Ordinal);
                actionsByResource[resource] = actions;
            }

            foreach (
                var action in scope[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)
            )
            {
                actions.Add(action);
            }
        }

        return actionsByResource
            .Select(pair => $"{pair.Key}:{string.Join(',', pair.Value)}")
            .ToList();
    }

    /// <summary>Returns the cache key of a canonical scope list.</summary>
    public static string Key(IReadOnlyList<string> scopes) => string.Join(' ', scopes);
}
