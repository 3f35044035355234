using System.Net;
using System.Text.RegularExpressions;
using Flywheel.Modules.Promotions.Coupons;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>Coupon templates, bulk codes, claims (领券) with their limits and targeting, and coupons at checkout.</summary>
public sealed partial class CouponsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GeneratedCodes_AreUniqueAcrossGenerations_AndUseOnlyTheUnambiguousAlphabet()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var template = await TemplateAsync(app, new { name = "¥10", @class = "order", reward = new { kind = "amount_off", amount = 10 } });
        var first = await GenerateAsync(app, template, 2000, "VP8");
        var second = await GenerateAsync(app, template, 2000, null);
        Assert.Equal(2000, first.Count);
        Assert.All(first, c => Assert.Matches(PrefixedCode(), c));
        Assert.All(second, c => Assert.Matches(PlainCode(), c));
        Assert.Equal(4000, first.Concat(second).Distinct(StringComparer.Ordinal).Count());
        // No look-alikes anywhere: 0, O, 1, I, L never appear.
        Assert.DoesNotContain(first.Concat(second), c => c[3..].IndexOfAny(['0', 'O', '1', 'I', 'L']) >= 0);
        Assert.Equal(4000, (await app.GetJsonAsync($"/api/v1/coupon-templates/{template}")).GetProperty("issued").GetInt32());

        Assert.Equal(["prefix"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/codes", new { count = 1, prefix = "GO0D" })));
        Assert.Equal(["count"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/codes", new { count = 10_001 })));
    }

    [Fact]
    public void TheCodeAlphabet_HasNoLookAlikes_AndCodesCarry59Bits()
    {
        Assert.Equal(31, CouponCodes.Alphabet.Length);
        Assert.Equal(CouponCodes.Alphabet.Length, CouponCodes.Alphabet.Distinct().Count());
        // 31^12 = 787,662,783,788,549,761 ≈ 2^59.45.
        Assert.True(Math.Pow(CouponCodes.Alphabet.Length, CouponCodes.Length) > Math.Pow(2, 59));
        Assert.Equal("AB2CD3", CouponCodes.Normalize(" ab2-cd3 "));
    }

    [Fact]
    public async Task TotalAndPerCustomerLimits_HoldForGenerationAndClaims_EvenWhenClaimedAtOnce()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var template = await TemplateAsync(app, new
        {
            name = "新人券", @class = "order", reward = new { kind = "threshold_off", threshold = 99, off = 10 }, total_limit = 6, per_customer_limit = 2,
        });
        await GenerateAsync(app, template, 3, null);
        // 3 generated + 4 more would be 7 > 6.
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/codes", new { count = 4 })).StatusCode);

        // Eight claims at once by one customer: two are allowed.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.PostJsonAsync($"/api/v1/coupon-templates/{template}/claim", new { customer_id = "alice" })));
        Assert.Equal(2, claims.Count(c => c.StatusCode == HttpStatusCode.Created));
        Assert.All(claims.Where(c => c.StatusCode != HttpStatusCode.Created), c => Assert.Equal(HttpStatusCode.Conflict, c.StatusCode));
        // 3 + 2 = 5 issued: one left for the whole template.
        await app.ClaimAsync(template, "bob");
        var over = await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/claim", new { customer_id = "carol" });
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        Assert.Contains("issued all 6", await over.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await app.GetJsonAsync("/api/v1/coupons?customer_id=alice")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AGeneratedCode_IsClaimedByOneCustomer_AndAnotherCustomerCannotUseIt()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var template = await TemplateAsync(app, new { name = "¥10", @class = "order", reward = new { kind = "amount_off", amount = 10 } });
        var code = (await GenerateAsync(app, template, 1, null))[0];
        var typed = code[..4].ToLowerInvariant() + "-" + code[4..];
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync("/api/v1/coupons/claim", new { code = typed, customer_id = "alice" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync("/api/v1/coupons/claim", new { code, customer_id = "alice" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync("/api/v1/coupons/claim", new { code, customer_id = "bob" })).StatusCode);

        var bobs = await app.QuoteAsync(PromotionsClient.Cart("bob", 50, 1, code, "NOSUCHCODE"));
        Assert.Equal(50m, bobs.GetProperty("payable").GetDecimal());
        Assert.Equal(["claimed_by_another_customer", "unknown_code"],
            bobs.GetProperty("rejected_codes").EnumerateArray().Select(r => r.GetProperty("reason").GetString()!).Order(StringComparer.Ordinal));
        // Alice's wallet coupon applies without typing it: 50 − 10 = 40.
        var alices = await app.QuoteAsync(PromotionsClient.Cart("alice", 50));
        Assert.Equal(40m, alices.GetProperty("payable").GetDecimal());
        Assert.Equal(code, CheckoutTests.Outcome(alices, "coupon:" + code).GetProperty("coupon_code").GetString());
    }

    [Fact]
    public async Task ACouponValidForDaysAfterClaim_ExpiresThen_AndTargetingIsCheckedAtClaim()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await CheckoutTests.StartAsync(clock);
        var template = await TemplateAsync(app, new
        {
            name = "VIP 9折", @class = "order", reward = new { kind = "percent_off", percent = 10, cap = 30 }, valid_days_after_claim = 7,
            audience = new { segments = new[] { "vip" } },
        });
        var refused = await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/claim", new { customer_id = "alice" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var claimed = await PromotionsClient.CreatedAsync(await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/claim", new { customer_id = "alice", segments = new[] { "vip" } }));
        Assert.Equal(Start.AddDays(7), claimed.GetProperty("valid_until").GetDateTimeOffset());
        var code = claimed.GetProperty("code").GetString()!;
        object Cart() => new { customer = new { id = "alice", segments = new[] { "vip" } }, lines = new[] { new { sku = "tea", quantity = 1, unit_price = 500 } } };

        // 10% of 500 = 50, capped at 30: 470.
        Assert.Equal(470m, (await app.QuoteAsync(Cart())).GetProperty("payable").GetDecimal());
        clock.Advance(TimeSpan.FromDays(8));
        // Past its 7 days the wallet no longer offers it; entered by hand it is explained as expired.
        Assert.Equal(500m, (await app.QuoteAsync(Cart())).GetProperty("payable").GetDecimal());
        var entered = await app.QuoteAsync(new { customer = new { id = "alice", segments = new[] { "vip" } }, lines = new[] { new { sku = "tea", quantity = 1, unit_price = 500 } }, coupon_codes = new[] { code } });
        Assert.Equal("expired", CheckoutTests.Outcome(entered, "coupon:" + code).GetProperty("reason").GetString());
    }

    public static TheoryData<string, object> BadTemplates => new()
    {
        { "reward.kind", new { name = "x", @class = "order", reward = new { kind = "tiered", tiers = new[] { new { threshold = 100, off = 10 } } } } },
        { "valid_days_after_claim", new { name = "x", @class = "order", reward = new { kind = "amount_off", amount = 10 }, valid_days_after_claim = 7, valid_until = "2026-12-01T00:00:00+08:00" } },
        { "valid_until", new { name = "x", @class = "order", reward = new { kind = "amount_off", amount = 10 }, valid_from = "2026-12-01T00:00:00+08:00", valid_until = "2026-11-01T00:00:00+08:00" } },
        { "reward.cap", new { name = "x", @class = "order", reward = new { kind = "percent_off", percent = 10, cap = 0 } } },
        { "per_customer_limit", new { name = "x", @class = "order", reward = new { kind = "amount_off", amount = 10 }, per_customer_limit = -1 } },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public async Task ABadTemplate_IsRefusedWith400NamingTheField(string field, object body)
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        Assert.Equal([field], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/coupon-templates", body)));
        Assert.Equal(0, (await app.GetJsonAsync("/api/v1/coupon-templates")).GetArrayLength());
    }

    private static async Task<string> TemplateAsync(FlywheelApp app, object body) =>
        (await app.CreateTemplateAsync(body)).GetProperty("id").GetString()!;

    private static async Task<List<string>> GenerateAsync(FlywheelApp app, string template, int count, string? prefix)
    {
        var response = await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/codes", new { count, prefix });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await FlywheelApp.ReadJsonAsync(response)).GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
    }

    [GeneratedRegex("^VP8[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$")]
    private static partial Regex PrefixedCode();

    [GeneratedRegex("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$")]
    private static partial Regex PlainCode();
}
