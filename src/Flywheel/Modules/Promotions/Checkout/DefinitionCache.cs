using System.Collections.Concurrent;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// Parsed promotion definitions by id and version, so that a quote reads only the small columns of the live promotions
/// and parses a definition once per change rather than once per cart. A stale entry is never used: the version in
/// the store is part of the lookup, and every node reads it on every quote.
/// </summary>
public sealed class DefinitionCache
{
    private readonly ConcurrentDictionary<string, (int Version, Promotion Definition)> entries = new(StringComparer.Ordinal);

    public bool TryGet(string id, int version, out Promotion definition)
    {
        if (entries.TryGetValue(id, out var entry) && entry.Version == version)
        {
            definition = entry.Definition;
            return true;
        }
        definition = null!;
        return false;
    }

    public Promotion Add(string id, int version, string name, string json)
    {
        var definition = DefinitionJson.ReadStored(json, id, name);
        entries[id] = (version, definition);
        return definition;
    }
}
