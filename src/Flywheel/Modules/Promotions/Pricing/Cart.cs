namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Everything pricing needs to know, and nothing it would have to look up: the engine reads no clock and no store.
/// Line order matters: it is the order of the priced lines and breaks ties in allocation.
/// </summary>
public sealed record Cart
{
    public required Currency Currency { get; init; }
    public required IReadOnlyList<CartLine> Lines { get; init; }
    public required CustomerFacts Customer { get; init; }
    public required DateTimeOffset Now { get; init; }
    public string Channel { get; init; } = "";

    /// <summary>The shipping options the shop offers for this cart; empty when nothing is shipped.</summary>
    public IReadOnlyList<ShippingOption> ShippingOptions { get; init; } = [];

    /// <summary>The option the customer picked (a code from <see cref="ShippingOptions"/>); the first when null.</summary>
    public string? SelectedShipping { get; init; }

    /// <summary>
    /// Coupons the customer entered, already resolved to their definitions. They compete and combine exactly like
    /// automatic promotions; the difference is only that they count because the customer brought them.
    /// </summary>
    public IReadOnlyList<Promotion> Coupons { get; init; } = [];
}

public sealed record CartLine(string Id, string Sku, int Quantity, long UnitPrice)
{
    public string Category { get; init; } = "";
    public string Brand { get; init; } = "";

    /// <summary>The seller; 跨店满减 and store coupons look at it.</summary>
    public string Store { get; init; } = "";

    /// <summary>Set when the line is the final payment of a presale whose deposit was paid.</summary>
    public PresaleTerms? Presale { get; init; }

    public long ListAmount => checked(UnitPrice * Quantity);
}

/// <summary>What pricing may know about the customer, resolved by the caller from profiles and segments.</summary>
public sealed record CustomerFacts(string Id)
{
    public IReadOnlyList<string> Segments { get; init; } = [];
    public string Lifecycle { get; init; } = "";
    public string Tier { get; init; } = "";

    /// <summary>True when this order would be the customer's first.</summary>
    public bool IsFirstOrder { get; init; }
}

public sealed record ShippingOption(string Code, long Price)
{
    /// <summary>A faster option that a tier reward can upgrade the customer to.</summary>
    public bool Priority { get; init; }
}
