using System.Data.Common;
using Flywheel.Modules.Segments.Language;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// Finds the customers meeting a condition. Attribute, tag and segment tests become one parameterised SQL query on the
/// state store per run of such tests; event and aggregate conditions become one query each on the event store's
/// columnar engine; <c>and</c>, <c>or</c> and <c>not</c> over those answers are set operations here
/// (<see cref="MemberSet"/>). The same code answers for a whole workspace (previews, full recomputes) and for a few
/// customers (real-time refreshes), so the two can never disagree.
/// </summary>
internal sealed class SegmentEvaluator(FlywheelDb db, IEventStore events, EvaluationContext context, SegmentReferences references)
{
    // By value: the parts of a connective are joined into a new condition on every evaluation, each chunk alike.
    private readonly Dictionary<Condition, bool> holdsWithoutOrders = [];

    /// <summary>The members among <paramref name="among"/> (at most <see cref="CustomerEventQueries.MaxAmong"/>), or in the whole workspace when null.</summary>
    public async Task<MemberSet> EvaluateAsync(Condition condition, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        if (StatePredicate.IsState(condition))
        {
            return MemberSet.Of(await StateIdsAsync(condition, among, ct));
        }
        switch (condition)
        {
            case AndCondition and:
                return MemberSet.And(await PartsAsync(and.Conditions, c => new AndCondition(c), among, ct));
            case OrCondition or:
                return MemberSet.Or(await PartsAsync(or.Conditions, c => new OrCondition(c), among, ct));
            case NotCondition not:
                return (await EvaluateAsync(not.Condition, among, ct)).Not();
            default:
                var leaf = EventLeaf.Of(condition, context);
                return leaf.PassesWithNoEvents
                    ? MemberSet.AllBut(await events.CustomersMatchingAsync(leaf.Failing, among, ct))
                    : MemberSet.Of(await events.CustomersMatchingAsync(leaf.Query, among, ct));
        }
    }

    /// <summary>How many customers of the workspace meet the condition, and the first few of them by id.</summary>
    public async Task<(long Count, IReadOnlyList<string> Sample)> CountAsync(Condition condition, int sampleSize, CancellationToken ct)
    {
        if (StatePredicate.IsState(condition))
        {
            // The database counts; only the sample leaves it.
            var count = await ScalarAsync(await SelectAsync(condition, null, count: true, ct), ct);
            var sample = await ReadIdsAsync(await SelectAsync(condition, null, count: false, ct, sampleSize), ct);
            return (count, sample);
        }
        var members = await EvaluateAsync(condition, null, ct);
        if (!members.IsComplement)
        {
            return (members.Ids.Count, members.Ids.Order(StringComparer.Ordinal).Take(sampleSize).ToList());
        }
        var everyone = await ScalarAsync(Everyone("COUNT(*)", ""), ct);
        var first = new List<string>(sampleSize);
        foreach (var id in await ReadIdsAsync(Everyone("c.\"ExternalId\"", $" ORDER BY c.\"ExternalId\" LIMIT {sampleSize + members.Ids.Count}"), ct))
        {
            if (!members.Ids.Contains(id) && first.Count < sampleSize)
            {
                first.Add(id);
            }
        }
        return (everyone - members.Ids.Count, first);
    }

    /// <summary>Every member of the workspace.</summary>
    public async Task<HashSet<string>> MembersAsync(Condition condition, CancellationToken ct)
    {
        var members = await EvaluateAsync(condition, null, ct);
        return members.IsComplement
            ? members.Within(await ReadIdsAsync(Everyone("c.\"ExternalId\"", ""), ct)).ToHashSet(StringComparer.Ordinal)
            : members.Ids;
    }

    /// <summary>The members among a few customers (at most <see cref="CustomerEventQueries.MaxAmong"/>).</summary>
    public async Task<HashSet<string>> MembersAmongAsync(Condition condition, IReadOnlyCollection<string> among, CancellationToken ct)
    {
        var members = await EvaluateAsync(condition, among, ct);
        return members.IsComplement ? members.Within(among).ToHashSet(StringComparer.Ordinal) : members.Ids;
    }

    /// <summary>
    /// Evaluates the parts of a connective: the state-store tests among them together as one query (joined by the same
    /// connective), each event test on its own.
    /// </summary>
    private async Task<List<MemberSet>> PartsAsync(
        ValueList<Condition> parts, Func<ValueList<Condition>, Condition> join, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        var sets = new List<MemberSet>(parts.Count);
        var state = parts.Where(StatePredicate.IsState).ToList();
        if (state.Count > 0)
        {
            var combined = state.Count == 1 ? state[0] : join(ValueList.From(state));
            sets.Add(MemberSet.Of(await StateIdsAsync(combined, among, ct)));
        }
        foreach (var part in parts.Where(p => !StatePredicate.IsState(p)))
        {
            sets.Add(await EvaluateAsync(part, among, ct));
        }
        return sets;
    }

    private async Task<IReadOnlyList<string>> StateIdsAsync(Condition condition, IReadOnlyCollection<string>? among, CancellationToken ct) =>
        await ReadIdsAsync(await SelectAsync(condition, among, count: false, ct), ct);

    /// <summary>
    /// The customers meeting a state-store condition (or their number), optionally the first <paramref name="limit"/> by
    /// id. A condition that reads only stored traits and is false for a customer without orders is answered from the
    /// traits table alone, which holds only customers with orders; any other from every customer of the workspace, joined
    /// to the traits and scores only when it reads them.
    /// </summary>
    private async Task<SqlText> SelectAsync(Condition condition, IReadOnlyCollection<string>? among, bool count, CancellationToken ct, int? limit = null)
    {
        var sql = new SqlText();
        var writer = new StatePredicate(sql, context, references);
        var predicate = writer.Write(condition);
        var fromTraits = writer.Tables == StateTables.Traits && !await HoldsWithoutOrdersAsync(condition, ct);
        var id = fromTraits ? "t.\"CustomerExternalId\"" : "c.\"ExternalId\"";
        var from = fromTraits ? "\"cdp_customer_traits\" t" : StateColumns.FromCustomers(writer.Tables);
        var workspace = fromTraits ? "t.\"WorkspaceId\"" : "c.\"WorkspaceId\"";
        sql.Append($"SELECT {(count ? "COUNT(*)" : id)} FROM {from} WHERE {workspace} = {sql.Parameter(context.WorkspaceId)} AND {predicate}");
        sql.AppendAmong(among, id);
        return limit is { } n ? sql.Append($" ORDER BY {id} LIMIT {n}") : sql;
    }

    /// <summary>
    /// Whether the condition holds for a customer with no stored traits row (no orders). Asked once per condition for
    /// the evaluator's life: a preview selects twice (count and sample), a refresh once per chunk of customers.
    /// </summary>
    private async Task<bool> HoldsWithoutOrdersAsync(Condition condition, CancellationToken ct)
    {
        if (holdsWithoutOrders.TryGetValue(condition, out var known))
        {
            return known;
        }
        var holds = await ProbeWithoutOrdersAsync(condition, ct);
        holdsWithoutOrders[condition] = holds;
        return holds;
    }

    private async Task<bool> ProbeWithoutOrdersAsync(Condition condition, CancellationToken ct)
    {
        var sql = new SqlText();
        var predicate = new StatePredicate(sql, context, references).Write(condition);
        return await ScalarAsync(sql.Append($"SELECT COUNT(*) FROM {StateColumns.AbsentTraits} WHERE {predicate}"), ct) > 0;
    }

    private SqlText Everyone(string what, string tail)
    {
        var sql = new SqlText();
        return sql.Append($"SELECT {what} FROM \"cdp_customers\" c WHERE c.\"WorkspaceId\" = {sql.Parameter(context.WorkspaceId)}{tail}");
    }

    private async Task<long> ScalarAsync(SqlText sql, CancellationToken ct)
    {
        await using var command = await CommandAsync(sql, ct);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<string>> ReadIdsAsync(SqlText sql, CancellationToken ct)
    {
        await using var command = await CommandAsync(sql, ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private async Task<DbCommand> CommandAsync(SqlText sql, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return sql.CreateCommand(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction());
    }
}
