namespace Flywheel.Platform.Ingestion;

/// <summary>
/// The 128-bit dedup hashes of every accepted event, in memory (about 40 bytes an event). Rebuilt on start from the
/// event store and the ingest log; touched only by the ingest writer, so it needs no lock.
/// </summary>
internal sealed class DedupIndex
{
    private readonly HashSet<UInt128> keys = [];

    public int Count => keys.Count;

    /// <summary>Adds a key; false when it was already there (a duplicate).</summary>
    public bool Add(UInt128 key) => keys.Add(key);

    public void Remove(UInt128 key) => keys.Remove(key);
}
