using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Platform.Events;

namespace Flywheel.Tests.Platform.Events;

/// <summary>
/// Random events and random queries, each answered by the store and by <see cref="Expected"/>, a plain evaluation of
/// the documented meaning over the events in memory. The seed is in the failure message.
/// </summary>
public abstract partial class CustomerEventQueryContract
{
    private const int Seed = 20260601;
    private static readonly Regex PlainNumber = new(@"^-?[0-9]{1,28}(\.[0-9]{1,10})?$", RegexOptions.CultureInvariant);
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] Categories = ["母婴", "toys", "Toys", "it's", "a\"b", "back\\", "", "toys & games", "%_"];
    private static readonly string[] Fragments = ["oy", "婴", "\\", "'", "\"", "", "%", "_", "toys"];
    private static readonly decimal[] Numbers = [0m, 1m, 2m, 3m, 12.5m, 100m, 250.75m, -3m, 0.1m, 199.5m];

    [Fact]
    public async Task RandomQueries_AnswerAsThePlainEvaluationOfTheirMeaning()
    {
        var random = new Random(Seed);
        var events = RandomEvents(random, 3000);
        await using var store = await OpenAsync();
        await AppendAsync(store, events);
        var parsed = events.Select(e => (Event: e, Properties: JsonDocument.Parse(e.Properties).RootElement)).ToList();
        var customers = events.Select(e => e.CustomerId).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var nonEmpty = 0;
        for (var i = 0; i < 300; i++)
        {
            var query = RandomQuery(random, events);
            List<string>? among = random.Next(3) == 0
                ? [.. customers.Where(_ => random.Next(4) == 0).Append("nobody")]
                : null;
            var expected = Expected(parsed, query, among);
            var actual = (await store.CustomersMatchingAsync(query, among, None)).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual),
                $"Seed {Seed}, query {i}: {Describe(query)}\nexpected {string.Join(",", expected)}\nactual   {string.Join(",", actual)}");
            nonEmpty += expected.Count > 0 ? 1 : 0;
            if (among is not null)
            {
                var earliest = parsed.Where(p => Matches(p.Event, p.Properties, query) && among.Contains(p.Event.CustomerId!))
                    .GroupBy(p => p.Event.CustomerId!).ToDictionary(g => g.Key, g => g.Min(p => p.Event.Timestamp));
                var found = await store.EarliestMatchingAsync(query, among, None);
                Assert.True(earliest.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(found.OrderBy(kv => kv.Key, StringComparer.Ordinal)),
                    $"Seed {Seed}, query {i} (earliest): {Describe(query)}\nexpected {string.Join(",", earliest)}\nactual   {string.Join(",", found)}");
            }
        }
        // The queries must mostly select someone, or the comparison says little.
        Assert.True(nonEmpty > 120, $"only {nonEmpty} of 300 queries selected anyone");
    }

    private static List<string> Expected(List<(EventRecord Event, JsonElement Properties)> events, CustomerEventQuery q, IReadOnlyCollection<string>? among) =>
        [.. events.Where(p => Matches(p.Event, p.Properties, q) && (among is null || among.Contains(p.Event.CustomerId!)))
            .GroupBy(p => p.Event.CustomerId!)
            .Where(g => Passes(Measure(g.Select(p => p.Properties).ToList(), q), q.Test))
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)];

    private static bool Matches(EventRecord e, JsonElement properties, CustomerEventQuery q) =>
        e.WorkspaceId == q.WorkspaceId && e.Type == q.Type && !string.IsNullOrEmpty(e.CustomerId)
        && (q.FromUtc is null || e.Timestamp >= q.FromUtc) && (q.UntilUtc is null || e.Timestamp < q.UntilUtc)
        && (q.Where is null || Holds(q.Where, properties));

    private static bool Holds(PropertyFilter filter, JsonElement properties) => filter switch
    {
        PropertyAll all => all.Filters.All(f => Holds(f, properties)),
        PropertyAny any => any.Filters.Any(f => Holds(f, properties)),
        PropertyTest t => Holds(t, properties),
        _ => throw new ArgumentException("unknown filter"),
    };

    private static bool Holds(PropertyTest t, JsonElement properties)
    {
        var present = properties.TryGetProperty(t.Property, out var v) && v.ValueKind != JsonValueKind.Null;
        switch (t.Operator)
        {
            case PropertyOperator.IsNull:
                return !present;
            case PropertyOperator.IsNotNull:
                return present;
            case PropertyOperator.In:
                return t.Values.Any(x => present && Compare(v, PropertyOperator.Equal, x));
            case PropertyOperator.NotIn:
                return present && t.Values.All(x => Compare(v, PropertyOperator.NotEqual, x));
            default:
                return present && Compare(v, t.Operator, t.Values[0]);
        }
    }

    private static bool Compare(JsonElement v, PropertyOperator op, object x) => x switch
    {
        string s when v.ValueKind == JsonValueKind.String => op switch
        {
            PropertyOperator.Equal => string.Equals(v.GetString(), s, StringComparison.Ordinal),
            PropertyOperator.NotEqual => !string.Equals(v.GetString(), s, StringComparison.Ordinal),
            PropertyOperator.Contains => v.GetString()!.Contains(s, StringComparison.Ordinal),
            _ => throw new ArgumentException("not a string operator"),
        },
        decimal n when Number(v) is { } d => op switch
        {
            PropertyOperator.Equal => d == n,
            PropertyOperator.NotEqual => d != n,
            PropertyOperator.Greater => d > n,
            PropertyOperator.GreaterOrEqual => d >= n,
            PropertyOperator.Less => d < n,
            _ => d <= n,
        },
        bool b when v.ValueKind is JsonValueKind.True or JsonValueKind.False => (v.GetBoolean() == b) == (op == PropertyOperator.Equal),
        _ => false,
    };

    private static decimal? Number(JsonElement v) =>
        v.ValueKind == JsonValueKind.Number && PlainNumber.IsMatch(v.GetRawText()) ? decimal.Parse(v.GetRawText(), CultureInfo.InvariantCulture) : null;

    /// <summary>The measure's value, or null for none (avg, min, max over no numbers).</summary>
    private static decimal? Measure(List<JsonElement> matching, CustomerEventQuery q)
    {
        if (q.Measure == EventMeasure.Count)
        {
            return q.Property is null ? matching.Count : matching.Count(p => p.TryGetProperty(q.Property, out var v) && v.ValueKind != JsonValueKind.Null);
        }
        var numbers = matching.Select(p => p.TryGetProperty(q.Property!, out var v) ? Number(v) : null).OfType<decimal>().ToList();
        return q.Measure switch
        {
            EventMeasure.Sum => numbers.Sum(),
            _ when numbers.Count == 0 => null,
            EventMeasure.Avg => numbers.Sum() / numbers.Count,
            EventMeasure.Min => numbers.Min(),
            _ => numbers.Max(),
        };
    }

    private static bool Passes(decimal? value, NumericTest test) => value is { } v && test.Operator switch
    {
        NumericOperator.Equal => v == test.Value,
        NumericOperator.NotEqual => v != test.Value,
        NumericOperator.Greater => v > test.Value,
        NumericOperator.GreaterOrEqual => v >= test.Value,
        NumericOperator.Less => v < test.Value,
        _ => v <= test.Value,
    };

    private static List<EventRecord> RandomEvents(Random random, int count)
    {
        var list = new List<EventRecord>(count);
        for (var seq = 1; seq <= count; seq++)
        {
            var customer = random.Next(12) == 0 ? null : $"c-{random.Next(120)}";
            var at = T0.AddMilliseconds(random.Next(10 * 24 * 3600) * 1000L + (random.Next(2) == 0 ? 0 : random.Next(1000)));
            list.Add(new EventRecord
            {
                Seq = seq,
                WorkspaceId = random.Next(10) == 0 ? "w2" : "w1",
                EventId = $"e-{seq}",
                DedupKey = $"e-{seq}",
                Type = random.Next(3) == 0 ? "product_view" : "order_paid",
                CustomerId = customer,
                AnonymousId = customer is null ? "a-1" : null,
                Timestamp = at,
                ReceivedAt = at,
                Properties = RandomProperties(random),
            });
        }
        return list;
    }

    /// <summary>A JSON object as JSON writers spell it: amounts sometimes with trailing zeros, sometimes strings or null.</summary>
    private static string RandomProperties(Random random)
    {
        var fields = new List<string>();
        // One in four as Python's json.dumps spaces them.
        var spaced = random.Next(4) == 0;
        void Add(string name, string json) => fields.Add($"{JsonSerializer.Serialize(name, Relaxed)}{(spaced ? ": " : ":")}{json}");
        string Text(string s) => JsonSerializer.Serialize(s, Relaxed);
        switch (random.Next(8))
        {
            case 0: break;
            case 1: Add("amount", "null"); break;
            case 2: Add("amount", Text(Numbers[random.Next(Numbers.Length)].ToString(CultureInfo.InvariantCulture))); break;
            case 3: Add("amount", random.Next(2) == 0 ? "true" : "[1]"); break;
            default:
                var cents = random.Next(-2000, 30000);
                Add("amount", random.Next(3) switch
                {
                    0 => (cents / 100).ToString(CultureInfo.InvariantCulture),
                    1 => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                    _ => (cents / 100m).ToString("0.##", CultureInfo.InvariantCulture),
                });
                break;
        }
        switch (random.Next(6))
        {
            case 0: break;
            case 1: Add("category", "null"); break;
            case 2: Add("category", "7"); break;
            default: Add("category", Text(Categories[random.Next(Categories.Length)])); break;
        }
        switch (random.Next(5))
        {
            case 0: break;
            case 1: Add("vip", "\"true\""); break;
            default: Add("vip", random.Next(2) == 0 ? "true" : "false"); break;
        }
        if (random.Next(2) == 0)
        {
            Add("数量", random.Next(0, 6).ToString(CultureInfo.InvariantCulture));
        }
        // Shuffled: the order of keys must not matter.
        return "{" + string.Join(spaced ? ", " : ",", fields.OrderBy(_ => random.Next())) + "}";
    }

    private static CustomerEventQuery RandomQuery(Random random, List<EventRecord> events)
    {
        DateTime? Bound()
        {
            if (random.Next(2) == 0)
            {
                return null;
            }
            var at = events[random.Next(events.Count)].Timestamp;
            return at.AddTicks(new long[] { 0, 0, 1, -1, 10, -10, 10_000, -10_000 }[random.Next(8)]);
        }
        var from = Bound();
        var until = Bound();
        if (from > until)
        {
            (from, until) = (until, from);
        }
        var measure = (EventMeasure)random.Next(5);
        string[] numeric = ["amount", "数量"];
        var property = measure == EventMeasure.Count
            ? (random.Next(2) == 0 ? null : new[] { "amount", "category", "vip" }[random.Next(3)])
            : numeric[random.Next(2)];
        decimal[] thresholds = [0m, 1m, 2m, 3m, 5m, 12.5m, 100m, 150m, 250.75m, -3m];
        var test = new NumericTest((NumericOperator)random.Next(6), thresholds[random.Next(thresholds.Length)]);
        var where = random.Next(4) == 0 ? null : RandomFilter(random, 2);
        return new CustomerEventQuery(random.Next(15) == 0 ? "w2" : "w1", random.Next(4) == 0 ? "product_view" : "order_paid",
            from, until, where, measure, property, test);
    }

    private static PropertyFilter RandomFilter(Random random, int depth)
    {
        if (depth > 0 && random.Next(3) == 0)
        {
            var parts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomFilter(random, depth - 1)).ToList();
            return random.Next(2) == 0 ? new PropertyAll(parts) : new PropertyAny(parts);
        }
        var property = new[] { "amount", "category", "vip", "数量", "missing" }[random.Next(5)];
        var kind = property switch
        {
            "amount" or "数量" => random.Next(6) == 0 ? 1 : 0,
            "category" => random.Next(6) == 0 ? 0 : 1,
            "vip" => random.Next(6) == 0 ? 1 : 2,
            _ => random.Next(3),
        };
        object Value() => kind switch
        {
            0 => random.Next(3) == 0 ? (decimal)random.Next(-20, 300) : Numbers[random.Next(Numbers.Length)],
            1 => Categories[random.Next(Categories.Length)],
            _ => random.Next(2) == 0,
        };
        PropertyOperator[] operators = kind switch
        {
            0 => [PropertyOperator.Equal, PropertyOperator.NotEqual, PropertyOperator.Greater, PropertyOperator.GreaterOrEqual,
                PropertyOperator.Less, PropertyOperator.LessOrEqual, PropertyOperator.In, PropertyOperator.NotIn, PropertyOperator.IsNull, PropertyOperator.IsNotNull],
            1 => [PropertyOperator.Equal, PropertyOperator.NotEqual, PropertyOperator.In, PropertyOperator.NotIn, PropertyOperator.Contains,
                PropertyOperator.IsNull, PropertyOperator.IsNotNull],
            _ => [PropertyOperator.Equal, PropertyOperator.NotEqual, PropertyOperator.In, PropertyOperator.NotIn, PropertyOperator.IsNull],
        };
        var op = operators[random.Next(operators.Length)];
        object[] values = op switch
        {
            PropertyOperator.IsNull or PropertyOperator.IsNotNull => [],
            PropertyOperator.In or PropertyOperator.NotIn => [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Value())],
            PropertyOperator.Contains => [Fragments[random.Next(Fragments.Length)]],
            _ => [Value()],
        };
        return new PropertyTest(property, op, values);
    }

    private static string Describe(CustomerEventQuery q) =>
        $"{q.WorkspaceId} {q.Type} [{q.FromUtc:O}, {q.UntilUtc:O}) where {Describe(q.Where)} {q.Measure}({q.Property}) {q.Test.Operator} {q.Test.Value}";

    private static string Describe(PropertyFilter? f) => f switch
    {
        null => "-",
        PropertyAll all => $"all({string.Join(", ", all.Filters.Select(Describe))})",
        PropertyAny any => $"any({string.Join(", ", any.Filters.Select(Describe))})",
        PropertyTest t => $"{t.Property} {t.Operator} [{string.Join(", ", t.Values)}]",
        _ => "?",
    };
}
