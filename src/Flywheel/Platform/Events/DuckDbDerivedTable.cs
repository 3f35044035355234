using System.Globalization;
using DuckDB.NET.Data;

namespace Flywheel.Platform.Events;

/// <summary>
/// A table the embedded store derives from its events, so that questions need not derive it from every event each time
/// they are asked: the identity links (<see cref="DuckDbIdentityLinks"/>) and each visitor's first event
/// (<see cref="DuckDbFirstSeen"/>). It is brought up to date before a question that reads it from the events loaded since
/// its mark; the question then reads events only up to that mark, a consistent snapshot.
/// </summary>
/// <remarks>
/// Sequence numbers only grow and events are never rewritten, so an upsert of what the events after the mark say keeps
/// such a table exact, whatever order their timestamps come in.
/// </remarks>
internal sealed class DuckDbDerivedTable(string mark, string schema, Func<long, long, string> upsert)
{
    /// <summary>The statements that create the table and its mark when missing.</summary>
    public string Schema { get; } = $"""
        {schema}
        CREATE TABLE IF NOT EXISTS {mark} (seq BIGINT NOT NULL);
        INSERT INTO {mark} SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {mark});
        """;

    /// <summary>
    /// Adds what the events loaded since the last refresh say, on the writer's connection (no append may run
    /// meanwhile); returns the sequence number the table is now current through.
    /// </summary>
    public async Task<long> RefreshAsync(DuckDBConnection writer, CancellationToken ct)
    {
        var through = await ScalarAsync(writer, $"SELECT seq FROM {mark}", ct);
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
                {upsert(through, loaded)};
                UPDATE {mark} SET seq = {Number(loaded)};
                """;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return loaded;
    }

    /// <summary>The condition selecting the events after <paramref name="through"/> up to <paramref name="loaded"/>.</summary>
    public static string Between(long through, long loaded) => $"seq > {Number(through)} AND seq <= {Number(loaded)}";

    private static async Task<long> ScalarAsync(DuckDBConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
