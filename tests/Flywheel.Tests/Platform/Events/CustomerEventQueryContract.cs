using Flywheel.Platform.Events;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform.Events;

/// <summary>
/// Customer-event queries, written once and run on each store. Every fixture is a handful of events whose matching
/// customers can be read off by eye; each expected set is worked out in the comment beside it.
/// </summary>
public abstract partial class CustomerEventQueryContract
{
    /// <summary>A new, empty, initialised store.</summary>
    protected abstract Task<IEventStore> OpenAsync();

    protected static readonly DateTime T0 = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CancellationToken None = CancellationToken.None;

    private sealed record Ev(string? Customer, DateTime At, string Properties, string Type = "order_paid", string Workspace = "w1");

    private async Task<IEventStore> StoreWithAsync(params Ev[] events)
    {
        var store = await OpenAsync();
        await AppendAsync(store, events.Select((e, i) => new EventRecord
        {
            Seq = i + 1,
            WorkspaceId = e.Workspace,
            EventId = $"e-{i + 1}",
            DedupKey = $"e-{i + 1}",
            Type = e.Type,
            CustomerId = e.Customer,
            AnonymousId = e.Customer is null ? "a-1" : null,
            Timestamp = e.At,
            ReceivedAt = e.At,
            Properties = e.Properties,
        }).ToList());
        return store;
    }

    protected static async Task AppendAsync(IEventStore store, IReadOnlyList<EventRecord> events)
    {
        await using var append = store.BeginAppend();
        append.Append(events);
        await append.CommitAsync(CancellationToken.None);
    }

    private static CustomerEventQuery Q(PropertyFilter? where = null, EventMeasure measure = EventMeasure.Count, string? property = null,
        NumericOperator op = NumericOperator.GreaterOrEqual, decimal value = 1, DateTime? from = null, DateTime? until = null, string type = "order_paid") =>
        new("w1", type, from, until, where, measure, property, new NumericTest(op, value));

    private static PropertyTest P(string property, PropertyOperator op, params object[] values) => new(property, op, values);

    private static async Task<List<string>> MatchAsync(IEventStore store, CustomerEventQuery query, IReadOnlyCollection<string>? among = null) =>
        [.. (await store.CustomersMatchingAsync(query, among, None)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// c1: 199.50 and 200 (numbers); c2: "199.5" (a string) and null; c3: 50.25 and -10; c4: no properties;
    /// c5: 0.1. Categories: c1 母婴/toys, c2 母婴/null, c3 Toys/"toys &amp; games", c4 none, c5 "it's \"quoted\"".
    /// </summary>
    private Task<IEventStore> ShopAsync() => StoreWithAsync(
        new("c1", T0.AddHours(1), """{"amount":199.50,"category":"母婴","vip":true,"paid_at":"2026-06-01T08:00:00+08:00"}"""),
        new("c1", T0.AddHours(2), """{"amount":200,"category":"toys","vip":false,"paid_at":"2026-06-01T00:00:01Z"}"""),
        new("c2", T0.AddHours(3), """{"amount":"199.5","category":"母婴","vip":"true","paid_at":"yesterday"}"""),
        new("c2", T0.AddHours(4), """{"amount":null,"category":null,"vip":null,"paid_at":null}"""),
        new("c3", T0.AddHours(5), """{"amount":50.25,"category":"Toys","vip":false,"paid_at":"2026-05-31T23:59:59.900Z"}"""),
        new("c3", T0.AddHours(6), """{"amount":-10,"category":"toys & games"}"""),
        new("c4", T0.AddHours(7), "{}"),
        new("c5", T0.AddHours(8), """{"amount":0.1,"category":"it's \"quoted\"","paid_at":"2026-06-01"}"""),
        // Not order_paid, another workspace, no customer: never counted.
        new("c6", T0.AddHours(1), """{"amount":199.5,"category":"母婴"}""", Type: "page_view"),
        new("c7", T0.AddHours(1), """{"amount":199.5,"category":"母婴"}""", Workspace: "w2"),
        new(null, T0.AddHours(1), """{"amount":199.5,"category":"母婴"}"""));

    public static TheoryData<string, PropertyOperator, object[], string[]> PropertyCases => new()
    {
        // Strings: exact, case-sensitive; null and absent meet only "is null".
        { "category", PropertyOperator.Equal, ["母婴"], ["c1", "c2"] },
        { "category", PropertyOperator.Equal, ["toys"], ["c1"] },
        // != "toys": c1's 母婴, c2's 母婴, c3's both, c5's; not c4 (absent) nor c2's null event (c2 has 母婴 anyway).
        { "category", PropertyOperator.NotEqual, ["toys"], ["c1", "c2", "c3", "c5"] },
        { "category", PropertyOperator.NotEqual, ["母婴"], ["c1", "c3", "c5"] },
        { "category", PropertyOperator.In, ["Toys", "it's \"quoted\""], ["c3", "c5"] },
        // not in (母婴, toys): c3 (Toys, toys & games), c5; c1 has only those two, c2 母婴 and null.
        { "category", PropertyOperator.NotIn, ["母婴", "toys"], ["c3", "c5"] },
        { "category", PropertyOperator.Contains, ["toys"], ["c1", "c3"] },
        { "category", PropertyOperator.Contains, ["婴"], ["c1", "c2"] },
        { "category", PropertyOperator.Contains, ["\"quoted\""], ["c5"] },
        // Numbers: 199.50 is 199.5; c2's "199.5" is a string, not a number.
        { "amount", PropertyOperator.Equal, [199.5m], ["c1"] },
        { "amount", PropertyOperator.Equal, [200m], ["c1"] },
        { "amount", PropertyOperator.Equal, [0.1m], ["c5"] },
        // != 199.5: c1's 200, c3's both, c5; not c2 (string and null), not c4.
        { "amount", PropertyOperator.NotEqual, [199.5m], ["c1", "c3", "c5"] },
        { "amount", PropertyOperator.Greater, [199.5m], ["c1"] },
        { "amount", PropertyOperator.GreaterOrEqual, [199.5m], ["c1"] },
        { "amount", PropertyOperator.Greater, [199.4999999999m], ["c1"] },
        { "amount", PropertyOperator.Less, [50.25m], ["c3", "c5"] },
        { "amount", PropertyOperator.LessOrEqual, [50.25m], ["c3", "c5"] },
        { "amount", PropertyOperator.Less, [0m], ["c3"] },
        { "amount", PropertyOperator.In, [0.10m, -10m], ["c3", "c5"] },
        // not in (199.5, 200): c3's, c5's; c1's both are listed.
        { "amount", PropertyOperator.NotIn, [199.5m, 200m], ["c3", "c5"] },
        // Presence: c2's null counts as absent, its string as present.
        { "amount", PropertyOperator.IsNull, [], ["c2", "c4"] },
        { "amount", PropertyOperator.IsNotNull, [], ["c1", "c2", "c3", "c5"] },
        { "category", PropertyOperator.IsNull, [], ["c2", "c4"] },
        { "nothing", PropertyOperator.IsNull, [], ["c1", "c2", "c3", "c4", "c5"] },
        { "nothing", PropertyOperator.IsNotNull, [], Array.Empty<string>() },
        // Booleans: c2's "true" is a string.
        { "vip", PropertyOperator.Equal, [true], ["c1"] },
        { "vip", PropertyOperator.Equal, [false], ["c1", "c3"] },
        { "vip", PropertyOperator.NotEqual, [true], ["c1", "c3"] },
        { "vip", PropertyOperator.NotEqual, [false], ["c1"] },
        { "vip", PropertyOperator.In, [true, false], ["c1", "c3"] },
        { "vip", PropertyOperator.NotIn, [true], ["c1", "c3"] },
        // Date-times, read to the second: c1 paid_at 2026-06-01T00:00:00Z (+08:00) and 00:00:01Z; c3 2026-05-31T23:59:59Z;
        // c5 2026-06-01 (midnight); c2 "yesterday" is no date-time.
        { "paid_at", PropertyOperator.Equal, [T0], ["c1", "c5"] },
        { "paid_at", PropertyOperator.Equal, [T0.AddMilliseconds(500)], Array.Empty<string>() },
        { "paid_at", PropertyOperator.NotEqual, [T0], ["c1", "c3"] },
        { "paid_at", PropertyOperator.Greater, [T0], ["c1"] },
        { "paid_at", PropertyOperator.GreaterOrEqual, [T0.AddMilliseconds(1)], ["c1"] },
        { "paid_at", PropertyOperator.Less, [T0], ["c3"] },
        { "paid_at", PropertyOperator.Less, [T0.AddTicks(1)], ["c1", "c3", "c5"] },
        { "paid_at", PropertyOperator.LessOrEqual, [T0.AddSeconds(-1)], ["c3"] },
        { "paid_at", PropertyOperator.In, [T0.AddSeconds(1), T0.AddSeconds(-1)], ["c1", "c3"] },
    };

    [Theory]
    [MemberData(nameof(PropertyCases))]
    public async Task PropertyTest_SelectsTheCustomersWithAnEventThatPassesIt(string property, PropertyOperator op, object[] values, string[] expected)
    {
        await using var store = await ShopAsync();
        Assert.Equal(expected, await MatchAsync(store, Q(P(property, op, values))));
    }

    [Fact]
    public async Task AllAndAny_CombineTests_AndEmptyListsMeanTrueAndFalse()
    {
        await using var store = await ShopAsync();
        // 母婴 and amount = 199.5 on one event: only c1's first (c2's 母婴 event has a string amount).
        Assert.Equal(["c1"], await MatchAsync(store, Q(new PropertyAll([P("category", PropertyOperator.Equal, "母婴"), P("amount", PropertyOperator.Equal, 199.5m)]))));
        // Toys or amount < 1: c3 (Toys), c5 (0.1), c3 (-10).
        Assert.Equal(["c3", "c5"], await MatchAsync(store, Q(new PropertyAny([P("category", PropertyOperator.Equal, "Toys"), P("amount", PropertyOperator.Less, 1m)]))));
        // (母婴 or Toys) and vip = false: c3's Toys event.
        Assert.Equal(["c3"], await MatchAsync(store, Q(new PropertyAll([
            new PropertyAny([P("category", PropertyOperator.Equal, "母婴"), P("category", PropertyOperator.Equal, "Toys")]),
            P("vip", PropertyOperator.Equal, false)]))));
        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], await MatchAsync(store, Q(new PropertyAll([]))));
        Assert.Empty(await MatchAsync(store, Q(new PropertyAny([]))));
    }

    public static TheoryData<EventMeasure, string?, NumericOperator, decimal, string[]> MeasureCases => new()
    {
        // Counts of order_paid events: c1 2, c2 2, c3 2, c4 1, c5 1.
        { EventMeasure.Count, null, NumericOperator.GreaterOrEqual, 2m, ["c1", "c2", "c3"] },
        { EventMeasure.Count, null, NumericOperator.Equal, 1m, ["c4", "c5"] },
        { EventMeasure.Count, null, NumericOperator.Less, 2m, ["c4", "c5"] },
        { EventMeasure.Count, null, NumericOperator.NotEqual, 2m, ["c4", "c5"] },
        // Events having amount (not null): c1 2, c2 1 (the string), c3 2, c4 0, c5 1.
        { EventMeasure.Count, "amount", NumericOperator.Equal, 0m, ["c4"] },
        { EventMeasure.Count, "amount", NumericOperator.Equal, 1m, ["c2", "c5"] },
        // Sums of numbers: c1 399.5, c2 0 (none), c3 40.25, c4 0 (none), c5 0.1.
        { EventMeasure.Sum, "amount", NumericOperator.Equal, 399.5m, ["c1"] },
        { EventMeasure.Sum, "amount", NumericOperator.Equal, 0m, ["c2", "c4"] },
        { EventMeasure.Sum, "amount", NumericOperator.Greater, 0m, ["c1", "c3", "c5"] },
        { EventMeasure.Sum, "amount", NumericOperator.LessOrEqual, 40.25m, ["c2", "c3", "c4", "c5"] },
        { EventMeasure.Sum, "amount", NumericOperator.Less, 40.25m, ["c2", "c4", "c5"] },
        // Averages: c1 199.75, c3 20.125, c5 0.1; c2 and c4 have none, so no test holds for them.
        { EventMeasure.Avg, "amount", NumericOperator.Equal, 199.75m, ["c1"] },
        { EventMeasure.Avg, "amount", NumericOperator.Equal, 20.125m, ["c3"] },
        { EventMeasure.Avg, "amount", NumericOperator.Greater, 20.125m, ["c1"] },
        { EventMeasure.Avg, "amount", NumericOperator.LessOrEqual, 20.125m, ["c3", "c5"] },
        { EventMeasure.Avg, "amount", NumericOperator.NotEqual, 0m, ["c1", "c3", "c5"] },
        // Minimums: c1 199.5, c3 -10, c5 0.1; maximums: c1 200, c3 50.25, c5 0.1.
        { EventMeasure.Min, "amount", NumericOperator.Equal, 199.5m, ["c1"] },
        { EventMeasure.Min, "amount", NumericOperator.Less, 0m, ["c3"] },
        { EventMeasure.Min, "amount", NumericOperator.GreaterOrEqual, -10m, ["c1", "c3", "c5"] },
        { EventMeasure.Max, "amount", NumericOperator.Equal, 50.25m, ["c3"] },
        { EventMeasure.Max, "amount", NumericOperator.Greater, 199.5m, ["c1"] },
        { EventMeasure.Max, "amount", NumericOperator.LessOrEqual, 50.25m, ["c3", "c5"] },
        { EventMeasure.Max, "category", NumericOperator.NotEqual, 0m, Array.Empty<string>() },
    };

    [Theory]
    [MemberData(nameof(MeasureCases))]
    public async Task Measure_OverTheMatchingEvents_PassesOrFailsItsTest(EventMeasure measure, string? property, NumericOperator op, decimal value, string[] expected)
    {
        await using var store = await ShopAsync();
        Assert.Equal(expected, await MatchAsync(store, Q(measure: measure, property: property, op: op, value: value)));
    }

    [Fact]
    public async Task Measure_CountsOnlyEventsPassingTheFilter()
    {
        await using var store = await ShopAsync();
        // Events with amount ≥ 50: c1 two (sum 399.5), c3 one (50.25); others none and so never returned.
        var big = P("amount", PropertyOperator.GreaterOrEqual, 50m);
        Assert.Equal(["c1"], await MatchAsync(store, Q(big, op: NumericOperator.Equal, value: 2)));
        Assert.Equal(["c3"], await MatchAsync(store, Q(big, EventMeasure.Sum, "amount", NumericOperator.Less, 100)));
        Assert.Equal(["c1", "c3"], await MatchAsync(store, Q(big, op: NumericOperator.LessOrEqual, value: 2)));
    }

    public static TheoryData<long?, long?, bool> WindowCases => new()
    {
        // The event is at E = T0 + 1 h (a whole millisecond); bounds in ticks relative to E. From is inclusive, until exclusive.
        { 0, null, true },
        { -10, null, true },          // 1 µs before
        { 10, null, false },          // 1 µs after
        { 1, null, false },           // 100 ns after
        { -10_000, null, true },      // 1 ms before
        { 10_000, null, false },      // 1 ms after
        { null, 0, false },
        { null, 10, true },
        { null, 1, true },
        { null, -10, false },
        { null, 10_000, true },
        { null, -10_000, false },
        { 0, 1, true },
        { 0, 0, false },
        { null, null, true },
    };

    [Theory]
    [MemberData(nameof(WindowCases))]
    public async Task Window_IncludesItsStart_AndExcludesItsEnd_ToTheTick(long? fromTicks, long? untilTicks, bool included)
    {
        var at = T0.AddHours(1);
        await using var store = await StoreWithAsync(new Ev("c1", at, "{}"));
        var query = Q(from: fromTicks is { } f ? at.AddTicks(f) : null, until: untilTicks is { } u ? at.AddTicks(u) : null);
        string[] expected = included ? ["c1"] : [];
        Assert.Equal(expected, await MatchAsync(store, query));
        var earliest = await store.EarliestMatchingAsync(query, ["c1"], None);
        Assert.Equal(included ? new Dictionary<string, DateTime> { ["c1"] = at } : [], earliest);
    }

    [Fact]
    public async Task EarliestMatching_IsTheFirstMatchingEventOfEachAskedCustomer()
    {
        await using var store = await ShopAsync();
        // order_paid with category containing "toys": c1 at T0+2h, c3 at T0+6h; c5 has none; c2 not asked.
        var earliest = await store.EarliestMatchingAsync(
            Q(P("category", PropertyOperator.Contains, "toys"), op: NumericOperator.Greater, value: 99), ["c1", "c3", "c5"], None);
        Assert.Equal(new Dictionary<string, DateTime> { ["c1"] = T0.AddHours(2), ["c3"] = T0.AddHours(6) }, earliest);
        Assert.All(earliest.Values, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        // From T0 + 2 h on: c1's first is at T0+2h, c2's at T0+3h, c3's at T0+5h.
        var all = await store.EarliestMatchingAsync(Q(from: T0.AddHours(2)), ["c1", "c2", "c3"], None);
        Assert.Equal(new Dictionary<string, DateTime> { ["c1"] = T0.AddHours(2), ["c2"] = T0.AddHours(3), ["c3"] = T0.AddHours(5) }, all);
    }

    [Fact]
    public async Task Among_RestrictsTheAnswer_AndIsLimited()
    {
        await using var store = await ShopAsync();
        Assert.Equal(["c1", "c3"], await MatchAsync(store, Q(), ["c1", "c3", "c6", "c7", "nobody", "'"]));
        Assert.Empty(await MatchAsync(store, Q(), []));
        Assert.Empty(await store.EarliestMatchingAsync(Q(), [], None));
        var most = Enumerable.Range(0, CustomerEventQueries.MaxAmong - 1).Select(i => $"x-{i}").Append("c4").ToList();
        Assert.Equal(["c4"], await MatchAsync(store, Q(), most));
        Assert.Equal(["c4"], (await store.EarliestMatchingAsync(Q(), most, None)).Keys);
        var tooMany = most.Append("c5").ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => store.CustomersMatchingAsync(Q(), tooMany, None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.EarliestMatchingAsync(Q(), tooMany, None));
    }

    [Fact]
    public async Task OtherWorkspaces_OtherTypes_AndEventsWithoutACustomer_AreIgnored()
    {
        await using var store = await ShopAsync();
        // c6's only event is a page_view; c7's is in w2; the anonymous one has no customer.
        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], await MatchAsync(store, Q(op: NumericOperator.GreaterOrEqual, value: 0)));
        Assert.Equal(["c6"], await MatchAsync(store, Q(type: "page_view")));
        Assert.Empty(await MatchAsync(store, Q(type: "order")));
        Assert.Equal(["c7"], (await store.CustomersMatchingAsync(Q() with { WorkspaceId = "w2" }, null, None)).ToList());
    }

    [Fact]
    public async Task NamesAndValues_WithQuotesAndChinese_AreMatchedExactly()
    {
        const string quoted = "it's a \"name\" \\ too";
        await using var store = await StoreWithAsync(
            new("c1", T0, """{"it's a \"name\" \\ too":"x'y\"z\\","数量":3,"类别":"母婴"}"""),
            new("c2", T0, """{"it's a":"x'y\"z\\","数量":"3","name":"母婴"}"""),
            // As System.Text.Json writes non-ASCII by default: \u escapes, upper-case hex.
            new("c3", T0, """{"类别":"\u6BCD\u5A74","name":"\u6bcd\u5a74"}"""));
        Assert.Equal(["c1"], await MatchAsync(store, Q(P(quoted, PropertyOperator.Equal, "x'y\"z\\"))));
        Assert.Equal(["c1"], await MatchAsync(store, Q(P(quoted, PropertyOperator.IsNotNull))));
        Assert.Equal(["c2", "c3"], await MatchAsync(store, Q(P(quoted, PropertyOperator.IsNull))));
        Assert.Equal(["c1"], await MatchAsync(store, Q(P("数量", PropertyOperator.GreaterOrEqual, 3m))));
        Assert.Equal(["c1"], await MatchAsync(store, Q(measure: EventMeasure.Sum, property: "数量", op: NumericOperator.Equal, value: 3)));
        Assert.Equal(["c1", "c3"], await MatchAsync(store, Q(P("类别", PropertyOperator.Equal, "母婴"))));
        Assert.Equal(["c2", "c3"], await MatchAsync(store, Q(P("name", PropertyOperator.Contains, "婴"))));
        Assert.Equal(["c1", "c2"], await MatchAsync(store, Q(P("数量", PropertyOperator.IsNotNull))));
    }

    [Fact]
    public async Task Properties_WrittenWithSpacesAfterColonsAndCommas_AreRead()
    {
        // As Python's json.dumps writes by default (ensure_ascii included).
        await using var store = await StoreWithAsync(
            new("c1", T0, """{"amount": 12.50, "category": "\u6bcd\u5a74", "vip": true}"""),
            new("c2", T0, """{"amount": 7, "category": "toys", "vip": false}"""));
        Assert.Equal(["c1"], await MatchAsync(store, Q(measure: EventMeasure.Sum, property: "amount", op: NumericOperator.Equal, value: 12.5m)));
        Assert.Equal(["c1"], await MatchAsync(store, Q(P("category", PropertyOperator.Equal, "母婴"))));
        Assert.Equal(["c2"], await MatchAsync(store, Q(P("vip", PropertyOperator.Equal, false))));
    }

    public static TheoryData<string, string> Injections => new()
    {
        { "x') OR 1=1 --", "' OR '1'='1" },
        { "x\") OR 1=1 --", "\\' OR 1=1 --" },
        { "$.amount", "'); DROP TABLE events; --" },
        { "a\"}, \"b", "\\\\'" },
        { "\\", "\n\t\0" },
        { "category' ", "母婴' OR category = '母婴" },
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task HostileNamesAndValues_FindNothing_AndBreakNothing(string name, string value)
    {
        await using var store = await ShopAsync();
        Assert.Empty(await MatchAsync(store, Q(P(name, PropertyOperator.Equal, value))));
        Assert.Empty(await MatchAsync(store, Q(P("category", PropertyOperator.Equal, value))));
        Assert.Empty(await MatchAsync(store, Q(P(name, PropertyOperator.IsNotNull))));
        Assert.Empty(await MatchAsync(store, Q() with { Type = value }));
        Assert.Empty(await MatchAsync(store, Q() with { WorkspaceId = value }));
        Assert.Empty(await MatchAsync(store, Q(measure: EventMeasure.Sum, property: name, op: NumericOperator.NotEqual, value: 0)));
        Assert.Empty(await MatchAsync(store, Q(), [value, name]));
        // Everything is still there.
        Assert.Equal(11, (await store.ReadRangeAsync(0, 100, EventSelection.Everything, None)).Count);
        Assert.Equal(["c1", "c2"], await MatchAsync(store, Q(P("category", PropertyOperator.Equal, "母婴"))));
    }

    [Fact]
    public async Task MalformedQueries_AreRefused()
    {
        await using var store = await ShopAsync();
        CustomerEventQuery[] bad =
        [
            Q(measure: EventMeasure.Sum),
            Q(P("a", PropertyOperator.Equal)),
            Q(P("a", PropertyOperator.Equal, 1m, 2m)),
            Q(P("a", PropertyOperator.IsNull, 1m)),
            Q(P("a", PropertyOperator.In)),
            Q(P("a", PropertyOperator.In, 1m, "1")),
            Q(P("a", PropertyOperator.Greater, "b")),
            Q(P("a", PropertyOperator.Greater, true)),
            Q(P("a", PropertyOperator.Contains, 1m)),
            Q(P("a", PropertyOperator.Equal, 1)),
            Q(P("a", PropertyOperator.Equal, 0.00000000001m)),
            Q(P("a", PropertyOperator.Equal, DateTime.SpecifyKind(T0, DateTimeKind.Local))),
            Q(value: 0.12345678901m),
        ];
        foreach (var query in bad)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.CustomersMatchingAsync(query, null, None));
        }
    }
}

public sealed class DuckDbCustomerEventQueryTests : CustomerEventQueryContract, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("flywheel-event-queries-").FullName;

    protected override async Task<IEventStore> OpenAsync()
    {
        var store = new DuckDbEventStore(Path.Combine(dir, Guid.NewGuid().ToString("N") + ".duckdb"));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising connection.
        }
    }
}

public class ClickHouseCustomerEventQueryTests : CustomerEventQueryContract
{
    protected virtual Task<ClickHouseServer> ServerAsync() => ClickHouseServer.OneNode();

    protected override async Task<IEventStore> OpenAsync()
    {
        var server = await ServerAsync();
        var store = new ClickHouseEventStore(ClickHouseEndpoint.Parse(await server.NewDatabaseAsync()));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}

/// <summary>On two shards: customers are spread over both (by the sharding key), and the Distributed table gathers the answer.</summary>
public sealed class ClickHouseClusterCustomerEventQueryTests : ClickHouseCustomerEventQueryTests
{
    protected override Task<ClickHouseServer> ServerAsync() => ClickHouseServer.TwoShards();
}
