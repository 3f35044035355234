using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Language;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// When each customer's membership may next change with no new event: the earliest future moment at which one of the
/// condition's time-dependent tests can flip. Those moments are where an event leaves an <c>in last N days</c> window
/// (N × 24 h after it, plus the smallest tick, as the window includes its lower bound) or an event stamped later than
/// now enters it, where an <c>N days ago</c>
/// comparison passes the attribute's value, where the lifecycle stage runs out (dormant and lost after the last
/// payment) and where whole days since the last order step over a compared number. Re-evaluating at a moment when
/// nothing flips is harmless; missing one is not, so every candidate counts.
/// </summary>
internal sealed class NextChange(FlywheelDb db, IEventStore events, EvaluationContext context)
{
    /// <summary>
    /// The next moment per customer, for <paramref name="among"/> (at most <see cref="CustomerEventQueries.MaxAmong"/>) or,
    /// when null, every customer with a time-dependent value. Customers whose membership cannot change with time are absent.
    /// </summary>
    public async Task<Dictionary<string, DateTimeOffset>> DueAsync(Condition condition, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var now = context.Now;
        void Offer(string customer, DateTimeOffset at)
        {
            if (at > now && (!due.TryGetValue(customer, out var known) || at < known))
            {
                due[customer] = at;
            }
        }
        foreach (var leaf in Leaves(condition))
        {
            if (EventLeaf.IsEvent(leaf))
            {
                var e = EventLeaf.Of(leaf, context);
                if (e.WindowDays is { } days)
                {
                    foreach (var (customer, at) in await events.EarliestMatchingAsync(e.Query, among, ct))
                    {
                        Offer(customer, new DateTimeOffset(at, TimeSpan.Zero).AddDays(days).AddTicks(1));
                    }
                    // An event stamped later than now (clocks drift) enters the window when now reaches it.
                    var later = e.Query with { FromUtc = e.Query.UntilUtc, UntilUtc = null };
                    foreach (var (customer, at) in await events.EarliestMatchingAsync(later, among, ct))
                    {
                        Offer(customer, new DateTimeOffset(at, TimeSpan.Zero));
                    }
                }
            }
            else if (leaf is AttributeCondition attribute && Offsets(attribute) is { Count: > 0 } offsets)
            {
                var column = attribute.Attribute is "lifecycle" or "days_since_last_order" ? "t.\"LastOrderAt\"" : InstantColumn(attribute);
                foreach (var (customer, ticks) in await InstantsAsync(column, among, ct))
                {
                    var at = new DateTimeOffset(ticks, TimeSpan.Zero);
                    foreach (var offset in offsets)
                    {
                        Offer(customer, at + offset);
                    }
                }
            }
        }
        return due;
    }

    /// <summary>Whether the condition has any test that time alone can flip.</summary>
    public static bool DependsOnTime(Condition condition) => Leaves(condition).Any(leaf =>
        EventLeaf.IsEvent(leaf) ? Window(leaf) is InLastDays : leaf is AttributeCondition a && Offsets(a).Count > 0);

    private static TimeWindow? Window(Condition leaf) => leaf switch
    {
        EventCondition e => e.Window,
        AggregateCondition a => a.Window,
        _ => null,
    };

    private static IEnumerable<Condition> Leaves(Condition condition) => condition switch
    {
        AndCondition and => and.Conditions.SelectMany(Leaves),
        OrCondition or => or.Conditions.SelectMany(Leaves),
        NotCondition not => Leaves(not.Condition),
        _ => [condition],
    };

    /// <summary>How long after the attribute's instant the test can flip.</summary>
    private static List<TimeSpan> Offsets(AttributeCondition condition)
    {
        var offsets = new List<TimeSpan>();
        switch (condition.Attribute)
        {
            case "lifecycle":
                offsets.Add(TimeSpan.FromDays(StoredTraitTable.LifecycleActiveDays));
                offsets.Add(TimeSpan.FromDays(StoredTraitTable.LifecycleLostDays));
                break;
            case "days_since_last_order":
                foreach (var value in condition.Comparison.Values.OfType<NumberLiteral>().Select(n => n.Value))
                {
                    if (value is >= 0 and <= 36_500)
                    {
                        offsets.Add(TimeSpan.FromDays((double)decimal.Floor(value)));
                        offsets.Add(TimeSpan.FromDays((double)decimal.Floor(value) + 1));
                    }
                }
                break;
            default:
                foreach (var ago in condition.Comparison.Values.OfType<DaysAgoLiteral>())
                {
                    offsets.Add(TimeSpan.FromDays(ago.Days));
                    offsets.Add(TimeSpan.FromDays(ago.Days) + TimeSpan.FromTicks(1));
                }
                break;
        }
        return offsets;
    }

    private string InstantColumn(AttributeCondition condition) => StateColumns.Of(condition.Attribute, new SqlText(), context).Sql;

    private async Task<List<(string Customer, long Ticks)>> InstantsAsync(string column, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        var sql = new SqlText();
        sql.Append($"SELECT c.\"ExternalId\", {column} FROM {StateColumns.From} WHERE c.\"WorkspaceId\" = {sql.Parameter(context.WorkspaceId)} AND {column} IS NOT NULL");
        sql.AppendAmong(among);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = sql.CreateCommand(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(string, long)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        return rows;
    }
}
