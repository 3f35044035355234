namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// Rule tags may name other tags in their conditions (<c>has tag 'VIP'</c>). A chain that comes back to where it
/// started (A names B, B names A) has no membership to compute, so it is refused when it would be made.
/// </summary>
public static class RuleTagCycles
{
    /// <summary>
    /// The chain of names from <paramref name="start"/> back to itself, e.g. [A, B, A], or null when there is none.
    /// <paramref name="named"/> maps each rule tag to the tags its condition names; other tags name nothing.
    /// </summary>
    public static IReadOnlyList<string>? Find(IReadOnlyDictionary<string, IReadOnlyList<string>> named, string start)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string> { start };
        return Walk(start) ? path : null;

        // Depth first, so that the path on the stack is the chain found; each tag is entered once, so it ends.
        bool Walk(string from)
        {
            if (!named.TryGetValue(from, out var next))
            {
                return false;
            }
            foreach (var to in next)
            {
                path.Add(to);
                if (to == start || (visited.Add(to) && Walk(to)))
                {
                    return true;
                }
                path.RemoveAt(path.Count - 1);
            }
            return false;
        }
    }

    /// <summary>"'A' → 'B' → 'A'".</summary>
    public static string Describe(IReadOnlyList<string> chain) => string.Join(" → ", chain.Select(n => $"'{n}'"));
}
