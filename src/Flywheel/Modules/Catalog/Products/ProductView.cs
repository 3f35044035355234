using Flywheel.Modules.Catalog.Model;
using Flywheel.Platform;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>A product as the API returns it; money in major units of the workspace currency.</summary>
public sealed record ProductView(
    string Sku, string Name, string CategoryPath, string? Brand, decimal Price, decimal? Cost, string Currency, int Stock,
    IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProductView From(Product p, string currency) => new(
        p.Sku, p.Name, p.CategoryPath, p.Brand, Money.ToMajor(p.PriceMinor, currency),
        p.CostMinor is { } cost ? Money.ToMajor(cost, currency) : null, currency, p.Stock,
        p.Tags.Length == 0 ? [] : p.Tags.Split(','), p.CreatedAt, p.UpdatedAt);
}
