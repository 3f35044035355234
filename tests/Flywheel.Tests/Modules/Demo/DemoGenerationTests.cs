using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flywheel.Modules.Demo.Generation;
using Flywheel.Platform.Events;

namespace Flywheel.Tests.Modules.Demo;

/// <summary>One generated shop of 2,000 customers shared by the shape tests (generation is pure, so sharing is safe).</summary>
public sealed class DemoShopFixture
{
    public static readonly DemoOptions Options = new(2_000, 12, 42, new DateOnly(2026, 11, 23));

    public DemoShopFixture()
    {
        Simulator = ShopSimulator.Create(Options, "ws_test");
        Customers = Enumerable.Range(0, Options.Customers).Select(Simulator.Generate).ToList();
        Events = Customers.SelectMany(c => c.Events).ToList();
    }

    public ShopSimulator Simulator { get; }
    public IReadOnlyList<DemoCustomer> Customers { get; }
    public IReadOnlyList<EventRecord> Events { get; }

    /// <summary>The shop's local date (Asia/Shanghai is UTC+8 all year) of a UTC instant.</summary>
    public static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    public static DateOnly LocalDate(DateTimeOffset t) => DateOnly.FromDateTime(t.UtcDateTime.AddHours(8));
}

public sealed class DemoGenerationTests(DemoShopFixture shop) : IClassFixture<DemoShopFixture>
{
    private static readonly DateOnly End = DemoShopFixture.Options.End;

    [Fact]
    public void SameSeed_GivesTheSameShop_AndAnotherSeedAnother()
    {
        var options = new DemoOptions(150, 12, 7, End);
        var first = Fingerprint(options);
        var again = Fingerprint(options);
        var otherSeed = Fingerprint(options with { Seed = 8 });
        var otherEnd = Fingerprint(options with { End = End.AddDays(-1) });

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, otherEnd);
    }

    [Fact]
    public void Sessions_FollowAWeeklyRhythm()
    {
        // Outside the festivals (and the dips after them), sessions land more at the weekend. The model's weekday factors
        // put Sat/Sun at 1.14 on average against 0.945 for Mon–Thu (ratio 1.21); half of that excess must show.
        static bool Ordinary(DateOnly d) =>
            !(d >= new DateOnly(d.Year, 5, 25) && d <= new DateOnly(d.Year, 6, 23)) && !(d >= new DateOnly(d.Year, 10, 20) && d <= new DateOnly(d.Year, 11, 16))
            && !(d.Month == 12 && d.Day is >= 12 and <= 16);
        var days = Enumerable.Range(0, shop.Simulator.Calendar.Days).Select(shop.Simulator.Calendar.Date).Where(Ordinary).ToList();
        var sessions = shop.Events.Where(e => e.Type == EventTypes.PageView).Select(e => DemoShopFixture.LocalDate(e.Timestamp))
            .Where(Ordinary).GroupBy(d => d.DayOfWeek).ToDictionary(g => g.Key, g => (double)g.Count());
        double PerDay(params DayOfWeek[] which) =>
            which.Sum(w => sessions[w]) / days.Count(d => which.Contains(d.DayOfWeek));

        var weekend = PerDay(DayOfWeek.Saturday, DayOfWeek.Sunday);
        var weekday = PerDay(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday);

        Assert.True(weekend > 1.10 * weekday, $"weekend {weekend:0.0} vs weekday {weekday:0.0} sessions a day");
    }

    [Fact]
    public void PaidOrders_PeakAt618AndDouble11_WithPresaleBalancesPaidWhenTheSaleOpens()
    {
        var paid = shop.Customers.SelectMany(c => c.Orders).Where(o => o.PaidAt is not null).Select(o => DemoShopFixture.LocalDate(o.PaidAt!.Value)).ToList();
        var start = shop.Simulator.Calendar.Start;
        int Week(DateOnly last) => paid.Count(d => d > last.AddDays(-7) && d <= last);
        var weeks = Enumerable.Range(1, shop.Simulator.Calendar.Days / 7).Select(w => Week(start.AddDays(7 * w - 1))).Order().ToList();
        var median = weeks[weeks.Count / 2];

        // The festival weeks run at 1.5–4.5× the traffic of an ordinary week and convert 35–60 % better (ShopCalendar);
        // a shop without festivals would show ratios near 1.
        Assert.True(Week(new DateOnly(2026, 11, 11)) > 2.0 * median, $"双11 week {Week(new DateOnly(2026, 11, 11))}, median week {median}");
        Assert.True(Week(new DateOnly(2026, 6, 18)) > 1.5 * median, $"618 week {Week(new DateOnly(2026, 6, 18))}, median week {median}");

        var presale = shop.Customers.SelectMany(c => c.Orders).Where(o => o.Coupon == "PRESALE-DOUBLE11").ToList();
        Assert.NotEmpty(presale);
        Assert.All(presale, o =>
        {
            Assert.InRange(DemoShopFixture.LocalDate(o.PlacedAt), new DateOnly(2026, 10, 20), new DateOnly(2026, 10, 31));
            Assert.True(o.PaidAt is null || DemoShopFixture.LocalDate(o.PaidAt.Value) == new DateOnly(2026, 11, 1));
        });
    }

    [Fact]
    public void CategoryMargins_Differ_AsConfigured()
    {
        var margins = shop.Simulator.Catalogue.Products.GroupBy(p => p.Category.Key)
            .ToDictionary(g => g.Key, g => g.Average(p => 1.0 - (double)p.CostMinor / p.PriceMinor));

        Assert.Equal(6, margins.Count);
        Assert.All(shop.Simulator.Catalogue.Products, p => Assert.InRange(p.CostMinor, 1, p.PriceMinor - 1));
        // Electronics sell on thin margins, beauty on fat ones (the configured means are 0.16 and 0.66).
        Assert.True(margins["beauty"] - margins["electronics"] > 0.3, string.Join(", ", margins.Select(m => $"{m.Key} {m.Value:0.00}")));
        Assert.True(margins["electronics"] < margins["food"] && margins["food"] < margins["baby"] && margins["baby"] < margins["home"]
            && margins["home"] < margins["apparel"] && margins["apparel"] < margins["beauty"]);
        Assert.InRange(shop.Simulator.Catalogue.Products.Count, 1900, 2100);
        Assert.Equal(shop.Simulator.Catalogue.Products.Count, shop.Simulator.Catalogue.Products.Select(p => p.Sku).Distinct().Count());
    }

    [Fact]
    public void Funnel_DropsAtEveryStep()
    {
        long Count(string type) => shop.Events.LongCount(e => e.Type == type);

        var steps = new[] { EventTypes.ProductView, EventTypes.AddToCart, EventTypes.CheckoutStarted, EventTypes.OrderPlaced, EventTypes.OrderPaid }
            .Select(t => (Type: t, Count: Count(t))).ToList();

        for (var i = 1; i < steps.Count; i++)
        {
            Assert.True(steps[i].Count < steps[i - 1].Count, $"{steps[i].Type} {steps[i].Count} ≥ {steps[i - 1].Type} {steps[i - 1].Count}");
        }
        Assert.True(steps[^1].Count > 0);
    }

    [Fact]
    public void Consumables_AreBoughtAgain_AroundTheirUsageCycle()
    {
        var types = Catalogue.Types.ToDictionary(t => t.Key);
        var skuType = shop.Simulator.Catalogue.Products.ToDictionary(p => p.Sku, p => p.Type.Key);
        var ratios = new List<double>();
        foreach (var c in shop.Customers)
        {
            var paid = c.Orders.Where(o => o.PaidAt is not null).OrderBy(o => o.PaidAt).ToList();
            for (var i = 0; i < paid.Count; i++)
            {
                foreach (var line in paid[i].Lines.Where(l => types[skuType[l.Sku]].CycleDays > 0))
                {
                    var type = skuType[line.Sku];
                    var next = paid.Skip(i + 1).FirstOrDefault(o => o.Lines.Any(l => skuType[l.Sku] == type));
                    if (next is not null)
                    {
                        var days = (next.PaidAt!.Value - paid[i].PaidAt!.Value).TotalDays;
                        ratios.Add(days / (types[type].CycleDays * line.Quantity));
                    }
                }
            }
        }
        ratios.Sort();

        Assert.True(ratios.Count >= 50, $"{ratios.Count} repurchases of a consumable");
        // Due again after cycle × quantity ± 20 %; the median repurchase falls near 1 cycle, not anywhere in the year.
        Assert.InRange(ratios[ratios.Count / 2], 0.7, 1.3);
        Assert.True(ratios.Count(r => r is >= 0.6 and <= 1.5) > ratios.Count / 2, "most repurchases fall near the cycle");
    }

    [Fact]
    public void Customers_GoDormant_AndSomeKeepBuying()
    {
        var endInstant = shop.Simulator.Calendar.EndInstant;
        var payers = shop.Customers.Select(c => c.Orders.Where(o => o.PaidAt is not null).Select(o => o.PaidAt!.Value).Order().ToList())
            .Where(p => p.Count > 0).ToList();
        // Customers who have been paying customers for at least 90 days, and their last payment is 90+ days ago.
        var eligible = payers.Where(p => (endInstant - p[0]).TotalDays >= 90).ToList();
        var dormant = eligible.Count(p => (endInstant - p[^1]).TotalDays >= 90);
        var repeat = payers.Count(p => p.Count >= 2);

        Assert.True(payers.Count > shop.Customers.Count / 3, $"{payers.Count} paying customers");
        Assert.InRange(dormant, eligible.Count / 5, eligible.Count * 4 / 5);
        Assert.InRange(repeat, payers.Count / 5, payers.Count * 4 / 5);
    }

    [Fact]
    public void Money_IsExact()
    {
        var orders = shop.Customers.SelectMany(c => c.Orders).ToList();
        var paidEvents = shop.Events.Where(e => e.Type == EventTypes.OrderPaid).ToDictionary(e => e.DedupKey);
        Assert.NotEmpty(orders);
        foreach (var o in orders)
        {
            var subtotal = 0L;
            foreach (var l in o.Lines)
            {
                subtotal += l.Quantity * l.UnitPriceMinor;
            }
            var total = subtotal - o.DiscountMinor + o.ShippingMinor;
            Assert.InRange(o.DiscountMinor, 0, subtotal);
            // Free shipping from ¥99 after discounts, else ¥8.
            Assert.Equal(subtotal - o.DiscountMinor >= 9900 ? 0 : 800, o.ShippingMinor);
            Assert.Equal(total, o.TotalMinor);
            Assert.InRange(o.Refunds.Sum(r => r.AmountMinor), 0, total);
            Assert.All(o.Refunds, r => Assert.True(o.PaidAt is not null && r.RefundedAt > o.PaidAt && r.AmountMinor > 0));
            if (o.PaidAt is not null)
            {
                using var p = JsonDocument.Parse(paidEvents[$"order:order_paid:{o.OrderId}"].Properties);
                Assert.Equal(total / 100m, p.RootElement.GetProperty("amount").GetDecimal());
            }
        }
        Assert.Contains(orders, o => o.Refunds.Count > 0 && o.Refunds.Sum(r => r.AmountMinor) < o.TotalMinor);
        Assert.Contains(orders, o => o.Refunds.Count > 0 && o.Refunds.Sum(r => r.AmountMinor) == o.TotalMinor);
        Assert.Contains(orders, o => o.CancelledAt is not null);
        Assert.Contains(orders, o => o.Coupon == "NEW20");
    }

    [Fact]
    public void Customers_LandFromTheirAcquisitionChannel_BrowseAnonymously_ThenIdentify()
    {
        var browsedFirst = 0;
        foreach (var c in shop.Customers)
        {
            var own = c.Events.Where(e => e.EventId.StartsWith(c.Customer.ExternalId + "-", StringComparison.Ordinal)).ToList();
            var landing = own[0];
            Assert.Equal(EventTypes.PageView, landing.Type);
            Assert.Contains(landing.Context.Channel, (string[])["app", "miniprogram", "web"]);
            var channel = People.Channels.Single(ch => ch.Key == c.Customer.RegistrationChannel);
            Assert.Equal(channel.UtmMedium, landing.Context.UtmMedium);
            Assert.True(channel.UtmSources.Length == 0 ? landing.Context.UtmSource is null : channel.UtmSources.Contains(landing.Context.UtmSource));
            Assert.Equal(channel.Referrer, landing.Context.Referrer);

            var identify = own.Single(e => e.Type == EventTypes.Identify);
            Assert.Equal(c.Customer.ExternalId, identify.CustomerId);
            Assert.Equal(landing.AnonymousId, identify.AnonymousId);
            var before = own.TakeWhile(e => e.Type != EventTypes.SignUp).ToList();
            Assert.All(before, e => Assert.Null(e.CustomerId));
            Assert.All(own.Skip(before.Count), e => Assert.Equal(c.Customer.ExternalId, e.CustomerId));
            browsedFirst += before.Any(e => e.Type == EventTypes.ProductView) ? 1 : 0;
        }
        Assert.True(browsedFirst > shop.Customers.Count / 5, $"{browsedFirst} customers browsed products before signing up");
        Assert.Contains(shop.Events, e => e.CustomerId is null && e.EventId.StartsWith('V'));
    }

    [Fact]
    public void Reviews_AreInChineseAndEnglish_WithEveryRating()
    {
        var reviews = shop.Events.Where(e => e.Type == EventTypes.ReviewSubmitted).Select(e =>
        {
            using var p = JsonDocument.Parse(e.Properties);
            return (Rating: p.RootElement.GetProperty("rating").GetInt32(), Language: p.RootElement.GetProperty("language").GetString(),
                Text: p.RootElement.GetProperty("text").GetString());
        }).ToList();

        Assert.Equal([1, 2, 3, 4, 5], reviews.Select(r => r.Rating).Distinct().Order());
        Assert.All(reviews, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
        var english = reviews.Count(r => r.Language == "en");
        Assert.InRange(english, reviews.Count / 20, reviews.Count * 3 / 10);
        Assert.Equal(reviews.Count - english, reviews.Count(r => r.Language == "zh-CN"));
        Assert.True(reviews.Average(r => r.Rating) > 3.5, "most reviews are good");
    }

    [Fact]
    public void Events_LieInTheWindow_AndIdsAreUnique()
    {
        var start = new DateTimeOffset(shop.Simulator.Calendar.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).UtcDateTime;
        var end = new DateTimeOffset(End.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).UtcDateTime;

        Assert.All(shop.Events, e => Assert.InRange(e.Timestamp, start, end.AddTicks(-1)));
        Assert.Equal(shop.Events.Count, shop.Events.Select(e => e.DedupKey).Distinct().Count());
        Assert.Equal(new DateOnly(2025, 11, 23), shop.Simulator.Calendar.Start);
    }

    private static string Fingerprint(DemoOptions options)
    {
        var simulator = ShopSimulator.Create(options, "ws_test");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => sha.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        foreach (var p in simulator.Catalogue.Products)
        {
            Add($"{p.Sku}|{p.Name}|{p.PriceMinor}|{p.CostMinor}");
        }
        for (var i = 0; i < options.Customers; i++)
        {
            var c = simulator.Generate(i);
            Add(c.Customer.ToString());
            foreach (var e in c.Events)
            {
                Add($"{e.EventId}|{e.DedupKey}|{e.Type}|{e.CustomerId}|{e.AnonymousId}|{e.Timestamp.Ticks}|{e.ReceivedAt.Ticks}|{e.Properties}|{e.Context}");
            }
            foreach (var o in c.Orders)
            {
                Add(JsonSerializer.Serialize(o));
            }
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
