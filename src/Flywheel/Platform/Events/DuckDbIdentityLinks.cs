using System.Globalization;
using DuckDB.NET.Data;

namespace Flywheel.Platform.Events;

/// <summary>
/// The embedded store's table of identity links: per workspace and anonymous id, the customer of the last event (by
/// sequence number) that carried both ids, membership changes aside — the rule the profile projection links by. Funnels
/// count a visitor's anonymous steps under that customer; deriving the links from the events at every question would
/// read the two id columns of every event a customer ever sent, so the table keeps them and is brought up to date
/// before each question from the events loaded since (<see cref="RefreshAsync"/>).
/// </summary>
/// <remarks>
/// Sequence numbers only grow and events are never rewritten, so the events after the table's mark can only replace a
/// link with a later one: an upsert of their own last link per anonymous id keeps the table exact.
/// </remarks>
internal static class DuckDbIdentityLinks
{
    public const string Table = "identity_links";
    private const string Mark = "identity_links_through";

    public const string Schema = $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            workspace_id VARCHAR NOT NULL,
            anonymous_id VARCHAR NOT NULL,
            customer_id VARCHAR NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (workspace_id, anonymous_id)
        );
        CREATE TABLE IF NOT EXISTS {Mark} (seq BIGINT NOT NULL);
        INSERT INTO {Mark} SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {Mark});
        """;

    /// <summary>
    /// Adds the links of the events loaded since the last refresh, on the writer's connection (no append may run
    /// meanwhile); returns the sequence number the table is now current through.
    /// </summary>
    public static async Task<long> RefreshAsync(DuckDBConnection writer, CancellationToken ct)
    {
        var through = await ScalarAsync(writer, $"SELECT seq FROM {Mark}", ct);
        var loaded = await ScalarAsync(writer, "SELECT coalesce(max(seq), 0) FROM events", ct);
        if (loaded <= through)
        {
            return through;
        }
        await using var transaction = await writer.BeginTransactionAsync(ct);
        await using (var cmd = writer.CreateCommand())
        {
            cmd.Transaction = transaction;
            cmd.CommandText = $"""
                INSERT INTO {Table}
                SELECT workspace_id, anonymous_id, arg_max(customer_id, seq), max(seq) FROM events
                WHERE seq > {Number(through)} AND seq <= {Number(loaded)} AND customer_id IS NOT NULL AND anonymous_id IS NOT NULL
                  AND type NOT IN ('{EventTypes.SegmentEntered}', '{EventTypes.SegmentExited}')
                GROUP BY workspace_id, anonymous_id
                ON CONFLICT DO UPDATE SET customer_id = excluded.customer_id, seq = excluded.seq;
                UPDATE {Mark} SET seq = {Number(loaded)};
                """;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return loaded;
    }

    private static async Task<long> ScalarAsync(DuckDBConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
