namespace Flywheel.Platform.Events;

/// <summary>
/// The embedded store's table of first visits: per workspace and visitor (the customer id, else the anonymous id), the
/// time of the visitor's earliest event, membership changes aside. New visitors are those whose first event falls in
/// the interval; deriving that from the events at every question would read every event ever stored. A later-loaded
/// event can only move a first visit earlier.
/// </summary>
internal static class DuckDbFirstSeen
{
    public const string Table = "visitor_first_seen";

    public static readonly DuckDbDerivedTable Derived = new("visitor_first_seen_through", $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            workspace_id VARCHAR NOT NULL,
            visitor VARCHAR NOT NULL,
            first_at TIMESTAMP NOT NULL,
            PRIMARY KEY (workspace_id, visitor)
        );
        """, (through, loaded) => $"""
        INSERT INTO {Table}
        SELECT workspace_id, coalesce(customer_id, anonymous_id) AS visitor, min(ts) FROM events
        WHERE {DuckDbDerivedTable.Between(through, loaded)} AND coalesce(customer_id, anonymous_id) IS NOT NULL
          AND type NOT IN ('{EventTypes.SegmentEntered}', '{EventTypes.SegmentExited}')
        GROUP BY workspace_id, visitor
        ON CONFLICT DO UPDATE SET first_at = least(first_at, excluded.first_at)
        """);
}
