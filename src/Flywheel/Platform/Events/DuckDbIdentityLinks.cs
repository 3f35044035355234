namespace Flywheel.Platform.Events;

/// <summary>
/// The embedded store's table of identity links: per workspace and anonymous id, the customer of the last event (by
/// sequence number) that carried both ids, membership changes aside — the rule the profile projection links by. Funnels
/// count a visitor's anonymous steps under that customer; deriving the links from the events at every question would
/// read the two id columns of every event a customer ever sent. Later events can only replace a link with a later one.
/// </summary>
internal static class DuckDbIdentityLinks
{
    public const string Table = "identity_links";

    public static readonly DuckDbDerivedTable Derived = new("identity_links_through", $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            workspace_id VARCHAR NOT NULL,
            anonymous_id VARCHAR NOT NULL,
            customer_id VARCHAR NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (workspace_id, anonymous_id)
        );
        """, (through, loaded) => $"""
        INSERT INTO {Table}
        SELECT workspace_id, anonymous_id, arg_max(customer_id, seq), max(seq) FROM events
        WHERE {DuckDbDerivedTable.Between(through, loaded)} AND customer_id IS NOT NULL AND anonymous_id IS NOT NULL
          AND type NOT IN ('{EventTypes.SegmentEntered}', '{EventTypes.SegmentExited}')
        GROUP BY workspace_id, anonymous_id
        ON CONFLICT DO UPDATE SET customer_id = excluded.customer_id, seq = excluded.seq
        """);
}
