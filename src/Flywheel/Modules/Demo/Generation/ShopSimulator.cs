using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Demo.Generation;

/// <summary>What to generate. The output is a function of these values alone.</summary>
/// <remarks><para><c>End</c>: The window ends at the start of this day (Asia/Shanghai); it is not itself generated.</para></remarks>
public sealed record DemoOptions(int Customers, int Months, long Seed, DateOnly End)
{
    public const int DefaultCustomers = 50_000;
    public const int DefaultMonths = 12;
    public const long DefaultSeed = 42;
}

/// <summary>One generated customer (with the anonymous visitors generated alongside): their profile, events and orders.</summary>
public sealed class DemoCustomer
{
    public required int Index { get; init; }
    public required CustomerHistory Customer { get; init; }
    public required Persona Persona { get; init; }
    public required AcquisitionChannel Channel { get; init; }
    /// <summary>Events of the customer and of the visitors, by timestamp (sequence numbers are assigned on writing).</summary>
    public required List<EventRecord> Events { get; init; }
    public required List<OrderHistory> Orders { get; init; }
    public required int Visitors { get; init; }
}

/// <summary>
/// The behaviour model: generates one customer at a time from a generator seeded by (seed, customer number), so any
/// customer can be generated alone and a million need no more memory than one. Pure: no clock, no I/O.
///
/// A customer arrives through an acquisition channel on a day drawn from the shop's growth and festival curve, browses
/// anonymously first, signs up (sign_up + identify link the anonymous id), then lives day by day: active customers
/// start sessions at their own rate × the day's traffic (weekly rhythm, 618 and 双11); a session lands, maybe searches,
/// views products of the persona's categories, carts some, checks out, places and pays — each step a drop-off.
/// Consumables bought come due again after their usage cycle and bring the customer back; complements of durables
/// bought (beans for a coffee machine) draw views. Active customers go dormant, dormant ones are lost or woken by the
/// next festival. Paid orders are sometimes refunded and reviewed.
/// </summary>
public sealed class ShopSimulator(DemoOptions options, Catalogue catalogue, ShopCalendar calendar, string workspaceId)
{
    private readonly Catalogue catalogue = catalogue;
    private readonly ShopCalendar calendar = calendar;
    private readonly string workspaceId = workspaceId;

    /// <summary>Scales sessions per week so the default demo has about 40 events a customer.</summary>
    private const double VisitScale = 0.32;

    private const string Currency = "CNY";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
    private static readonly string[] PaymentMethods = ["alipay", "wechat_pay", "unionpay", "alipay_huabei"];
    private static readonly double[] PaymentWeights = [0.50, 0.41, 0.05, 0.04];
    private static readonly string[] Platforms = ["app", "miniprogram", "web"];
    private static readonly double[] PlatformWeights = [0.45, 0.37, 0.18];

    public ShopCalendar Calendar => calendar;

    public Catalogue Catalogue => catalogue;

    /// <summary>The simulator of the shop <paramref name="options"/> describe, with its catalogue and calendar.</summary>
    public static ShopSimulator Create(DemoOptions options, string workspaceId) =>
        new(options, Catalogue.Generate(options.Seed), new ShopCalendar(options.End, options.Months), workspaceId);

    public DemoCustomer Generate(int index)
    {
        var rng = new DemoRandom(options.Seed, index);
        var run = new CustomerRun(this, rng, index);
        return run.Build();
    }

    private static string Text(string value) => JsonSerializer.Serialize(value, Json);

    private static string Major(long minor) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private enum Life
    {
        Active,
        Dormant,
        Lost,
    }

    /// <summary>The state of one customer's simulation.</summary>
    private sealed class CustomerRun(ShopSimulator sim, DemoRandom rng, int index)
    {
        private readonly List<EventRecord> events = new(64);
        private readonly List<OrderHistory> orders = [];
        private readonly List<(DemoProduct Product, int Due)> needs = [];
        private readonly List<string> interests = [];
        private readonly Catalogue catalogue = sim.catalogue;
        private readonly ShopCalendar calendar = sim.calendar;
        private Persona persona = null!;
        private AcquisitionChannel channel = null!;
        private string platform = "";
        private string device = "";
        private string customerId = "";
        private string anonymousId = "";
        private string? currentCustomer;
        private string eventPrefix = "";
        private int eventNo;
        private int orderNo;
        private DateTimeOffset at;
        private EventContext sessionContext = EventContext.Empty;

        public DemoCustomer Build()
        {
            persona = People.Personas[rng.FromCumulative(People.PersonaCumulative)];
            channel = People.Channels[rng.FromCumulative(People.ChannelCumulative)];
            // Where the customer shops (the events' channel) and on what; the acquisition channel shows in the UTM parameters.
            platform = Platforms[rng.Weighted(PlatformWeights)];
            device = platform == "web" ? (rng.Chance(0.7) ? "desktop" : "mobile") : rng.Chance(0.45) ? "ios" : "android";
            customerId = "C" + (index + 1).ToString("D7", CultureInfo.InvariantCulture);
            anonymousId = "anon_" + rng.Token();
            eventPrefix = customerId + "-";
            var female = rng.Chance(persona.FemaleShare);
            var city = People.Cities[rng.FromCumulative(People.CityCumulative)];
            var age = rng.Between(persona.MinAge, persona.MaxAge);
            var birthday = calendar.End.AddYears(-age).AddDays(-rng.Next(365));
            var name = People.Name(rng, female);
            var phone = People.Phone(rng);
            string? email = rng.Chance(0.4) ? rng.Between(100_000_000, 1_999_999_999).ToString(CultureInfo.InvariantCulture) + "@qq.com" : null;
            var signupDay = calendar.DrawArrivalDay(rng);

            // Anonymous browsing before signing up; the first session lands from the acquisition channel.
            var firstDay = Math.Max(0, signupDay - rng.Between(0, 10));
            var before = firstDay < signupDay ? rng.Poisson(0.8) + 1 : 0;
            var landed = false;
            var days = Enumerable.Range(0, before).Select(_ => firstDay + rng.Next(signupDay - firstDay)).Order().ToList();
            foreach (var day in days)
            {
                StartSession(day, landed ? Traffic(day) : channel.Key);
                landed = true;
                Browse(day, null, canBuy: false);
            }

            StartSession(signupDay, landed && rng.Chance(0.5) ? "direct" : channel.Key);
            Emit(EventTypes.PageView, PageProperties(signupDay, landing: true));
            var registeredAt = at;
            currentCustomer = customerId;
            Emit(EventTypes.SignUp, $"{{\"method\":\"phone\",\"channel\":{Text(channel.Key)},\"acquisition_cost\":{channel.CostPerCustomer.ToString("0.00", CultureInfo.InvariantCulture)}}}");
            var traits = new StringBuilder("{")
                .Append("\"name\":").Append(Text(name))
                .Append(",\"gender\":").Append(female ? "\"female\"" : "\"male\"")
                .Append(",\"birthday\":\"").Append(birthday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('"')
                .Append(",\"phone\":\"").Append(phone).Append('"');
            if (email is not null)
            {
                traits.Append(",\"email\":\"").Append(email).Append('"');
            }
            traits.Append(",\"city\":").Append(Text(city.Name))
                .Append(",\"region\":").Append(Text(city.Province))
                .Append(",\"persona\":").Append(Text(persona.Key))
                .Append(",\"acquisition_channel\":").Append(Text(channel.Key))
                .Append('}');
            Emit(EventTypes.Identify, traits.ToString());
            Browse(signupDay, null, canBuy: true);

            Live(signupDay);

            var visitors = GenerateVisitors();
            var customer = new CustomerHistory(customerId, registeredAt, channel.Key, rng.Chance(0.35), rng.Chance(0.6), rng.Chance(0.5));
            return new DemoCustomer
            {
                Index = index,
                Customer = customer,
                Persona = persona,
                Channel = channel,
                // Stable: events of one instant keep the order they happened in (order_placed before order_paid).
                Events = events.OrderBy(e => e.Timestamp).ToList(),
                Orders = orders,
                Visitors = visitors,
            };
        }

        /// <summary>The customer's days after signing up: sessions, due consumables, dormancy and wake-ups.</summary>
        private void Live(int signupDay)
        {
            var life = Life.Active;
            var quality = channel.Quality;
            // People differ: a log-normal spread (mean 1) around the persona's rate.
            var rate = persona.VisitsPerWeek / 7 * VisitScale * quality * Math.Exp(rng.Normal() * 0.6 - 0.18);
            var dormantAt = int.MaxValue;
            for (var day = signupDay + 1; day < calendar.Days; day++)
            {
                var festival = calendar.SaleOn[day] is not null;
                switch (life)
                {
                    case Life.Active when day >= dormantAt || rng.Chance(0.0035 / quality):
                        life = Life.Dormant;
                        break;
                    case Life.Dormant when rng.Chance(0.008):
                        life = Life.Lost;
                        break;
                    case Life.Dormant when rng.Chance(festival ? 0.02 : 0.0015):
                        life = Life.Active;
                        dormantAt = int.MaxValue;
                        break;
                }
                if (life == Life.Lost)
                {
                    // Lost customers never come back, and what they used up they buy elsewhere.
                    return;
                }
                var due = -1;
                for (var i = needs.Count - 1; i >= 0; i--)
                {
                    if (needs[i].Due <= day)
                    {
                        due = due < 0 && rng.Chance(life == Life.Active ? persona.Loyalty * Math.Min(1, quality) + 0.15 : 0.08) ? needs[i].Product.Index : due;
                        needs.RemoveAt(i);
                    }
                }
                var hadOrders = orders.Count;
                if (due >= 0)
                {
                    StartSession(day, rng.Chance(0.3) ? "push" : "direct");
                    Browse(day, catalogue.Products[due], canBuy: true);
                }
                else
                {
                    var p = rate * calendar.Activity[day] * (life == Life.Dormant ? 0.06 : 1) * (day - signupDay < 14 ? 1.8 : 1);
                    if (rng.Chance(p))
                    {
                        StartSession(day, Traffic(day));
                        Browse(day, null, canBuy: true);
                    }
                }
                if (hadOrders == 0 && orders.Count > 0 && rng.Chance(0.38 / quality))
                {
                    // Many first orders are the only one: the customer drifts off within weeks.
                    dormantAt = day + rng.Between(7, 40);
                }
            }
        }

        /// <summary>Anonymous visitors who browse and leave without signing up, generated with this customer.</summary>
        private int GenerateVisitors()
        {
            var count = rng.Poisson(1.0);
            var saved = (anonymousId, currentCustomer, eventPrefix, eventNo);
            currentCustomer = null;
            for (var v = 0; v < count; v++)
            {
                anonymousId = "anon_" + rng.Token();
                eventPrefix = $"V{index + 1:D7}-{v}-";
                eventNo = 0;
                at = DateTimeOffset.MinValue;
                var day = calendar.DrawArrivalDay(rng);
                var source = People.Channels[rng.FromCumulative(People.ChannelCumulative)].Key;
                var sessions = rng.Chance(0.25) ? 2 : 1;
                for (var s = 0; s < sessions && day < calendar.Days; s++)
                {
                    StartSession(day, s == 0 ? source : "direct");
                    Emit(EventTypes.PageView, PageProperties(day, landing: true));
                    sessionContext = new EventContext { Channel = sessionContext.Channel, Device = sessionContext.Device };
                    var views = rng.Next(4);
                    for (var i = 0; i < views; i++)
                    {
                        var product = PickProduct();
                        Step(15, 80);
                        Emit(EventTypes.ProductView, "{" + product.JsonMembers + "}");
                        if (rng.Chance(0.05))
                        {
                            Step(5, 30);
                            Emit(EventTypes.AddToCart, "{" + product.JsonMembers + ",\"quantity\":1}");
                        }
                    }
                    day += rng.Between(1, 20);
                }
            }
            (anonymousId, currentCustomer, eventPrefix, eventNo) = saved;
            return count;
        }

        /// <summary>Where a returning customer's session comes from on <paramref name="day"/>.</summary>
        private string Traffic(int day)
        {
            var festival = calendar.SaleOn[day] is not null || calendar.PresaleOn[day] is not null;
            var r = rng.NextDouble();
            return r < 0.40 ? "direct"
                : r < 0.55 ? "organic"
                : r < 0.67 ? "push"
                : r < (festival ? 0.90 : 0.85) ? channel.Key
                : r < 0.94 ? "feed_ads"
                : "social";
        }

        /// <summary>Starts a session on <paramref name="day"/> from <paramref name="source"/>: an acquisition channel key, "direct" or "push".</summary>
        private void StartSession(int day, string source)
        {
            var start = calendar.SessionStart(rng, day);
            // Two sessions of one visitor on one day (only before signing up) follow each other.
            at = start > at ? start : at.AddMinutes(rng.Between(5, 60));
            var date = calendar.Date(day);
            var sale = calendar.SaleOn[day] ?? calendar.PresaleOn[day];
            var campaign = sale is not null ? $"{sale.Key}_{date.Year}" : $"always_on_{date:yyyyMM}";
            var acquisition = People.Channels.FirstOrDefault(c => c.Key == source);
            var landing = new EventContext
            {
                Channel = platform,
                UtmSource = acquisition is { UtmSources.Length: > 0 } ? rng.Pick(acquisition.UtmSources)
                    : source == "push" ? "flywheel" : null,
                UtmMedium = acquisition?.UtmMedium ?? (source == "push" ? "push" : null),
                UtmCampaign = acquisition?.UtmMedium is not null || source == "push" ? campaign : null,
                Referrer = acquisition?.Referrer,
                Device = device,
            };
            sessionContext = landing;
        }

        private string PageProperties(int day, bool landing)
        {
            var sale = calendar.SaleOn[day] ?? calendar.PresaleOn[day];
            var (path, title) = sale is not null && landing
                ? ($"/campaign/{sale.Key}", sale.Name)
                : rng.Chance(0.6) ? ("/", "首页") : ($"/category/{rng.Pick(Catalogue.Categories).Key}", "分类");
            if (landing)
            {
                sessionContext = sessionContext with { Url = "https://shop.flywheel.local" + path };
            }
            return $"{{\"path\":{Text(path)},\"title\":{Text(title)}}}";
        }

        /// <summary>A session's browsing after it landed: views, carts and maybe an order. <paramref name="wanted"/> is a due consumable.</summary>
        private void Browse(int day, DemoProduct? wanted, bool canBuy)
        {
            if (wanted is not null || events.Count == 0 || events[^1].Type != EventTypes.Identify)
            {
                Emit(EventTypes.PageView, PageProperties(day, landing: true));
            }
            // After the landing page the rest of the session carries only channel and device, as trackers send them.
            sessionContext = new EventContext { Channel = sessionContext.Channel, Device = sessionContext.Device };
            var conversion = calendar.Conversion[day];
            if (wanted is null && rng.Chance(0.3))
            {
                var type = Catalogue.Types[rng.Next(Catalogue.Types.Length)];
                Step(5, 40);
                Emit(EventTypes.Search, $"{{\"query\":{Text(rng.Chance(0.7) ? type.Name : rng.Pick(catalogue.ByType[type.Key]).Brand)},\"results\":{rng.Between(3, 60)}}}");
            }
            var cart = new List<(DemoProduct Product, int Quantity)>();
            var views = wanted is not null ? 1 + rng.Poisson(0.5) : 1 + rng.Poisson(0.9);
            for (var i = 0; i < views; i++)
            {
                var product = i == 0 && wanted is not null ? wanted : PickProduct();
                Step(15, 90);
                Emit(EventTypes.ProductView, "{" + product.JsonMembers + "}");
                var cartChance = i == 0 && wanted is not null ? 0.85 : 0.18 * conversion;
                if (rng.Chance(cartChance) && cart.All(c => c.Product != product))
                {
                    var quantity = product.Type.CycleDays > 0 && rng.Chance(0.35) ? rng.Between(2, 3) : 1;
                    Step(5, 40);
                    Emit(EventTypes.AddToCart, "{" + product.JsonMembers + $",\"quantity\":{quantity}}}");
                    cart.Add((product, quantity));
                }
            }
            if (cart.Count == 0 || !canBuy || currentCustomer is null)
            {
                return;
            }
            var purposeful = wanted is not null;
            if (!rng.Chance(purposeful ? 0.9 : 0.58))
            {
                return;
            }
            var subtotal = cart.Sum(c => c.Quantity * c.Product.PriceMinor);
            Step(10, 60);
            Emit(EventTypes.CheckoutStarted, $"{{\"value\":{Major(subtotal)},\"currency\":\"CNY\",\"items\":{cart.Sum(c => c.Quantity)}}}");
            if (!rng.Chance(purposeful ? 0.95 : 0.8))
            {
                return;
            }
            Step(20, 120);
            PlaceOrder(day, cart, subtotal);
        }

        private void PlaceOrder(int day, List<(DemoProduct Product, int Quantity)> cart, long subtotal)
        {
            var first = orders.Count == 0;
            var sale = calendar.SaleOn[day];
            var presale = calendar.PresaleOn[day] is { } ps && rng.Chance(0.6) ? ps : null;
            var discount = 0L;
            string? coupon = null;
            if (sale is not null)
            {
                discount += subtotal / sale.ThresholdMinor * sale.OffMinor;
            }
            if (presale is not null)
            {
                // 定金膨胀: a deposit of 10 % (at most ¥50) counts double against the balance.
                discount += Math.Min(subtotal / 1000 * 10, 5000);
                coupon = "PRESALE-" + presale.Key.ToUpperInvariant();
            }
            else if (first && subtotal >= 9900 && rng.Chance(persona.CouponUse + 0.25))
            {
                coupon = "NEW20";
                discount += 2000;
            }
            else if (subtotal >= 15000 && rng.Chance(persona.CouponUse * 0.3))
            {
                coupon = "FW15";
                discount += 1500;
            }
            discount = Math.Min(discount, subtotal);
            var shipping = subtotal - discount >= 9900 ? 0 : 800;
            var placedAt = at;
            DateTimeOffset? paidAt = null, cancelledAt = null;
            if (presale is not null)
            {
                // The balance is paid when the sale opens, mostly in its first evening.
                var balance = new DateTimeOffset(presale.BalanceDay.ToDateTime(new TimeOnly(20, 0)), ShopCalendar.Offset)
                    .AddMinutes(rng.Next(200));
                paidAt = rng.Chance(0.9) && balance < calendar.EndInstant ? balance : null;
            }
            else if (rng.Chance(0.93))
            {
                paidAt = at.AddSeconds(rng.Between(15, 300));
                at = paidAt.Value;
            }
            else if (rng.Chance(0.65) && at.AddMinutes(30) < calendar.EndInstant)
            {
                cancelledAt = at.AddMinutes(rng.Between(15, 30));
            }
            var lines = cart.Select(c => new OrderLineHistory(c.Product.Sku, c.Product.Name, c.Product.CategoryPath, c.Product.Brand, c.Quantity, c.Product.PriceMinor)).ToList();
            var total = subtotal - discount + shipping;
            var refunds = new List<RefundHistory>();
            if (paidAt is { } paid)
            {
                var main = cart.MaxBy(c => c.Quantity * c.Product.PriceMinor).Product;
                var refundAt = paid.AddHours(rng.Between(24, 24 * 12));
                if (rng.Chance(main.Category.RefundRate * persona.RefundFactor) && refundAt < calendar.EndInstant)
                {
                    var (line, _) = cart.Count > 1 && rng.Chance(0.5) ? cart[rng.Next(cart.Count)] : (null, 0);
                    // A line's refund is its share of what was paid, rounded down, so refunds never exceed the total.
                    var amount = line is null ? total : Math.Max(1, cart.First(c => c.Product == line).Quantity * line.PriceMinor * total / subtotal);
                    refunds.Add(new RefundHistory("R1", amount, rng.Pick(ReviewTexts.RefundReasons), refundAt));
                }
                foreach (var (product, quantity) in cart)
                {
                    if (product.Type.CycleDays > 0)
                    {
                        // Used up after about its cycle per unit: due again then, give or take a fifth.
                        needs.Add((product, day + (int)Math.Round(product.Type.CycleDays * quantity * rng.Between(0.8, 1.2)) + (presale is null ? 0 : calendar.DayOf(presale.BalanceDay) - day)));
                    }
                    interests.AddRange(product.Type.Complements);
                }
                var reviewAt = paid.AddHours(rng.Between(72, 24 * 15));
                if (reviewAt < calendar.EndInstant && refunds.Sum(r => r.AmountMinor) < total && rng.Chance(refunds.Count > 0 ? 0.5 : 0.22))
                {
                    Review(cart[0].Product, orderNo + 1, reviewAt, refunds.Count > 0);
                }
            }
            var order = new OrderHistory($"O{index + 1:D7}-{++orderNo:D3}", currentCustomer!, Currency, lines, discount, shipping, coupon,
                sessionContext.Channel, paidAt is null && cancelledAt is null ? null : PaymentMethods[rng.Weighted(PaymentWeights)],
                placedAt, paidAt, cancelledAt, refunds);
            orders.Add(order);
            events.AddRange(OrderHistories.Events(sim.workspaceId, order));
        }

        private void Review(DemoProduct product, int order, DateTimeOffset when, bool refunded)
        {
            var rating = refunded ? rng.Between(1, 3) : Math.Clamp((int)Math.Round(product.Quality + rng.Normal() * 0.9), 1, 5);
            var english = rng.Chance(0.15);
            var text = ReviewTexts.For(rng, rating, english, product.Type.Name);
            var (savedAt, savedContext) = (at, sessionContext);
            at = when;
            sessionContext = new EventContext { Channel = platform, Device = device };
            Emit(EventTypes.ReviewSubmitted, "{" + $"\"order_id\":\"O{index + 1:D7}-{order:D3}\"," + product.JsonMembers +
                $",\"rating\":{rating},\"text\":{Text(text)},\"language\":\"{(english ? "en" : "zh-CN")}\"}}");
            (at, sessionContext) = (savedAt, savedContext);
        }

        /// <summary>A product to view: a complement of something bought, else one of the persona's categories by popularity and price taste.</summary>
        private DemoProduct PickProduct()
        {
            if (interests.Count > 0 && rng.Chance(0.25))
            {
                return rng.Pick(catalogue.ByType[rng.Pick(interests)]);
            }
            var category = Catalogue.Categories[rng.Weighted(persona.CategoryWeights)].Key;
            var products = catalogue.ByCategory[category];
            var cumulative = catalogue.CumulativePopularity[category];
            var best = products[rng.FromCumulative(cumulative)];
            if (persona.PriceBias != 0)
            {
                for (var i = 0; i < 2; i++)
                {
                    var other = products[rng.FromCumulative(cumulative)];
                    if ((persona.PriceBias < 0 && other.PriceMinor < best.PriceMinor) || (persona.PriceBias > 0 && other.PriceMinor > best.PriceMinor))
                    {
                        best = other;
                    }
                }
            }
            return best;
        }

        private void Step(int minSeconds, int maxSeconds) => at = at.AddSeconds(rng.Between(minSeconds, maxSeconds));

        private void Emit(string type, string properties)
        {
            var ts = Instants.ToMilliseconds(at).UtcDateTime;
            var eventId = eventPrefix + (++eventNo).ToString(CultureInfo.InvariantCulture);
            events.Add(new EventRecord
            {
                WorkspaceId = sim.workspaceId,
                EventId = eventId,
                DedupKey = eventId,
                Type = type,
                CustomerId = currentCustomer,
                AnonymousId = anonymousId,
                Timestamp = ts,
                ReceivedAt = ts,
                Properties = properties,
                Context = sessionContext,
            });
        }
    }
}
