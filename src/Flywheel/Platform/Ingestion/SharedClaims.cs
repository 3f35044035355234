using System.Globalization;
using Flywheel.Platform.Cluster;
using Flywheel.Platform.Counters;
using Flywheel.Platform.Events;

namespace Flywheel.Platform.Ingestion;

/// <summary>
/// Deduplication across nodes. Every stored event has a claim in the shared counters: its dedup hash → the sequence
/// number it was stored under. A claim is set by the loader, under the installation's load lock, just before the
/// events are committed; so a claim may name a number whose commit failed (and which a later load reused for another
/// event). A claim is therefore trusted only when the event store holds, at that number, an event with the same hash —
/// checked in one query per batch, and only for the events that have a claim at all (duplicates, which are rare).
/// </summary>
internal sealed class SharedClaims(ICounters counters, IEventStore store, ClusterNode node)
{
    /// <summary>The indexes of <paramref name="events"/> that are stored already (a verified claim).</summary>
    public async Task<HashSet<int>> FindStoredAsync(IReadOnlyList<EventRecord> events, long storedThrough, CancellationToken ct)
    {
        var stored = new HashSet<int>();
        if (events.Count == 0)
        {
            return stored;
        }
        var claims = await counters.GetManyAsync(events.Select(e => Key(e.DedupHash)).ToList(), ct);
        var suspects = new List<long>();
        for (var i = 0; i < claims.Length; i++)
        {
            // A claim past what is stored names a commit that never completed.
            if (claims[i] > 0 && claims[i] <= storedThrough)
            {
                suspects.Add(claims[i]);
            }
        }
        if (suspects.Count == 0)
        {
            return stored;
        }
        var hashes = await store.GetDedupHashesAsync(suspects, ct);
        for (var i = 0; i < claims.Length; i++)
        {
            if (claims[i] > 0 && hashes.TryGetValue(claims[i], out var hash) && hash == events[i].DedupHash)
            {
                stored.Add(i);
            }
        }
        return stored;
    }

    /// <summary>Claims the events for the sequence numbers they are about to be committed under.</summary>
    public ValueTask ClaimAsync(IReadOnlyList<EventRecord> events, CancellationToken ct) =>
        counters.SetManyAsync(events.Select(e => new KeyValuePair<string, long>(Key(e.DedupHash), e.Seq)).ToList(), ct);

    private string Key(UInt128 hash) => node.Key("dedup:" + hash.ToString("x32", CultureInfo.InvariantCulture));
}
