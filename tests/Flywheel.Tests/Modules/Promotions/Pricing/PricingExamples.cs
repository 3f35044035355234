using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>Short ways to write carts and promotions in tests. Amounts are fen: 10000 = ¥100.00.</summary>
internal static class PricingExamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 11, 4, 0, 0, TimeSpan.Zero);

    public static CartLine Line(string id, long unitPrice, int quantity = 1) => new(id, id, quantity, unitPrice);

    public static Cart Cart(params CartLine[] lines) => new()
    {
        Currency = Currency.Cny,
        Lines = lines,
        Customer = new CustomerFacts("c-1"),
        Now = Now,
    };

    public static Cart WithShipping(this Cart cart, long fee) => cart with { ShippingOptions = [new ShippingOption("standard", fee)] };

    public static Promotion Promo(string id, PromotionClass @class, Reward reward, params PromotionClass[] combinesWith) => new()
    {
        Id = id,
        Name = id,
        Class = @class,
        Reward = reward,
        CombinesWith = combinesWith,
    };

    public static Promotion ItemPromo(string id, Reward reward, params PromotionClass[] combinesWith) =>
        Promo(id, PromotionClass.Item, reward, combinesWith);

    public static Promotion OrderPromo(string id, Reward reward, params PromotionClass[] combinesWith) =>
        Promo(id, PromotionClass.Order, reward, combinesWith);

    public static Promotion ShippingPromo(string id, Reward reward, params PromotionClass[] combinesWith) =>
        Promo(id, PromotionClass.Shipping, reward, combinesWith);

    public static PromotionScope Skus(params string[] skus) => new() { Skus = skus };

    public static PromotionOutcome Outcome(this PriceQuote quote, string id) => quote.Promotions.Single(p => p.PromotionId == id);

    public static PricedLine LineOf(this PriceQuote quote, string id) => quote.Lines.Single(l => l.LineId == id);

    public static PriceQuote Price(Cart cart, params Promotion[] promotions) => CartPricer.Price(cart, promotions);

    public static readonly PromotionClass[] All = [PromotionClass.Item, PromotionClass.Order, PromotionClass.Shipping];
}
