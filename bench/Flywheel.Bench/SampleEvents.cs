using System.Globalization;
using System.Text.Json;
using Flywheel.Modules.Customers.Ingestion;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;

namespace Flywheel.Bench;

/// <summary>
/// Realistic shop events for load: a mix of page views, searches, product views, carts, checkouts and paid orders,
/// with properties and marketing context, spread over 100,000 customers. Deterministic for a seed.
/// </summary>
internal static class SampleEvents
{
    private static readonly string[] Categories = ["beauty", "baby", "home", "food", "electronics", "apparel"];
    private static readonly string[] Sources = ["baidu", "douyin", "wechat", "xiaohongshu", "weibo", "direct"];
    private static readonly string[] Devices = ["mobile", "desktop", "tablet"];

    /// <summary>One request body: {"events": [...]} with unique event ids.</summary>
    public static byte[] Batch(int batchNo, int size, int seed)
    {
        var random = new Random(seed * 1_000_003 + batchNo);
        using var stream = new MemoryStream(size * 450);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            // A month of history ending before today, so that no event is refused as coming from the future.
            var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(8));
            for (var i = 0; i < size; i++)
            {
                var customer = random.Next(100_000);
                var roll = random.Next(100);
                var type = roll switch
                {
                    < 45 => "page_view",
                    < 55 => "search",
                    < 80 => "product_view",
                    < 90 => "add_to_cart",
                    < 95 => "checkout_started",
                    _ => "order_paid",
                };
                var sku = "SKU-" + random.Next(2000).ToString("D4", CultureInfo.InvariantCulture);
                var price = random.Next(100, 100_000) / 100m;
                json.WriteStartObject();
                json.WriteString("event_id", $"b{seed}-{batchNo}-{i}");
                json.WriteString("type", type);
                json.WriteString("customer_id", "c" + customer.ToString(CultureInfo.InvariantCulture));
                json.WriteString("anonymous_id", "a" + customer.ToString(CultureInfo.InvariantCulture));
                json.WriteString("timestamp", start.AddSeconds(random.Next(30 * 86_400)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
                json.WriteStartObject("properties");
                switch (type)
                {
                    case "page_view":
                        json.WriteString("url", "https://shop.example.com/c/" + Categories[random.Next(6)]);
                        json.WriteString("title", "Category page");
                        break;
                    case "search":
                        json.WriteString("query", "保湿面霜 " + random.Next(50).ToString(CultureInfo.InvariantCulture));
                        break;
                    case "order_paid":
                        json.WriteString("order_id", $"o{seed}-{batchNo}-{i}");
                        json.WriteNumber("amount", price);
                        json.WriteString("currency", "CNY");
                        json.WriteString("category", Categories[random.Next(6)]);
                        json.WriteStartArray("lines");
                        json.WriteStartObject();
                        json.WriteString("sku", sku);
                        json.WriteNumber("quantity", 1);
                        json.WriteNumber("price", price);
                        json.WriteEndObject();
                        json.WriteEndArray();
                        break;
                    default:
                        json.WriteString("sku", sku);
                        json.WriteString("name", "Product " + sku);
                        json.WriteString("category", Categories[random.Next(6)]);
                        json.WriteString("brand", "Brand " + random.Next(80).ToString(CultureInfo.InvariantCulture));
                        json.WriteNumber("price", price);
                        break;
                }
                json.WriteEndObject();
                json.WriteStartObject("context");
                json.WriteString("channel", "web");
                json.WriteString("utm_source", Sources[random.Next(Sources.Length)]);
                json.WriteString("utm_medium", "cpc");
                json.WriteString("utm_campaign", "double11");
                json.WriteString("url", "https://shop.example.com/p/" + sku);
                json.WriteString("device", Devices[random.Next(3)]);
                json.WriteString("ip", $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}");
                json.WriteString("user_agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    public static string Describe(byte[] body) => $"{body.Length / 1024} KB";

    /// <summary>The events of the request bodies as ingestion stores them, through the same reader and validator.</summary>
    public static List<EventRecord> ToRecords(IEnumerable<byte[]> bodies, DateTime receivedAt) => ToRecords(bodies, receivedAt, []);

    /// <summary>As above, into a list that is cleared first (a measurement reuses one rather than allocate anew).</summary>
    public static List<EventRecord> ToRecords(IEnumerable<byte[]> bodies, DateTime receivedAt, List<EventRecord> records)
    {
        records.Clear();
        foreach (var body in bodies)
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
            {
                records.Add(EventValidator.Validate(IngestBatch.ReadEvent(e), "ws_bench", receivedAt, new FieldErrors())!);
            }
        }
        return records;
    }
}
