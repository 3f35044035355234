using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Demo.Storefront;

/// <summary>
/// A small shop over the workspace's catalogue, served only in demo mode (Flywheel:Demo), that sends its visitors'
/// behaviour through the tracking script: page views, product views, searches, add-to-cart and sign-in.
///
/// The page needs the public key in plain text, and Flywheel keeps only hashes of keys, so the key comes from
/// FLYWHEEL_PUBLIC_KEY — the variable that also creates the default public key on first start. The workspace shown is
/// the one that key belongs to.
/// </summary>
public static class Storefront
{
    public const string PublicKeySetting = "FLYWHEEL_PUBLIC_KEY";
    private const int PageSize = 48;

    /// <summary>A product as the shop shows it and as its events describe it.</summary>
    public sealed record Item(string Sku, string Name, string Category, string? Brand, decimal Price, string PriceText, int Stock);

    /// <summary>Maps /shop and /shop/p/{sku} when the host runs in demo mode; does nothing otherwise.</summary>
    public static WebApplication MapStorefront(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<FlywheelOptions>>().Value.Demo)
        {
            return app;
        }
        var shop = app.MapGroup("/shop").AllowAnonymous().ExcludeFromDescription();
        shop.MapGet("", HomeAsync);
        shop.MapGet("/p/{sku}", ProductAsync);
        return app;
    }

    public static async Task<ContentHttpResult> HomeAsync(
        string? q, IConfiguration configuration, ApiKeys keys, FlywheelDb db, CancellationToken ct)
    {
        var shop = await OpenAsync(configuration, keys, db, ct);
        if (shop is null)
        {
            return NotConfigured();
        }
        var query = db.Products.AsNoTracking().Where(p => p.WorkspaceId == shop.WorkspaceId);
        var search = q?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            var pattern = "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(p => EF.Functions.Like(p.Name, pattern, "\\") || p.Sku == search);
        }
        var products = await query.OrderBy(p => p.Name).Take(PageSize).ToListAsync(ct);
        var items = products.Select(p => ToItem(p.Sku, p.Name, p.CategoryPath, p.Brand, p.PriceMinor, p.Stock, shop.Currency)).ToList();
        return Html(StorefrontHtml.Home(shop, items, search));
    }

    public static async Task<ContentHttpResult> ProductAsync(
        string sku, IConfiguration configuration, ApiKeys keys, FlywheelDb db, CancellationToken ct)
    {
        var shop = await OpenAsync(configuration, keys, db, ct);
        if (shop is null)
        {
            return NotConfigured();
        }
        var p = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == shop.WorkspaceId && p.Sku == sku, ct);
        if (p is null)
        {
            return Html(StorefrontHtml.NotFound(shop, sku), StatusCodes.Status404NotFound);
        }
        return Html(StorefrontHtml.Product(shop, ToItem(p.Sku, p.Name, p.CategoryPath, p.Brand, p.PriceMinor, p.Stock, shop.Currency)));
    }

    /// <summary>The shop of the configured public key, or null when no valid public key is configured.</summary>
    private static async Task<StorefrontHtml.Shop?> OpenAsync(IConfiguration configuration, ApiKeys keys, FlywheelDb db, CancellationToken ct)
    {
        var key = configuration[PublicKeySetting];
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        var grant = await keys.ResolveAsync(key, ct);
        if (grant is null)
        {
            return null;
        }
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == grant.WorkspaceId, ct);
        return new StorefrontHtml.Shop(grant.WorkspaceId, workspace.Name, workspace.Currency, key);
    }

    private static Item ToItem(string sku, string name, string categoryPath, string? brand, long priceMinor, int stock, string currency)
    {
        // Events carry category paths with '/' (docs/events.md); the catalogue joins them with " > ".
        var category = string.Join('/', categoryPath.Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return new Item(sku, name, category, brand, Money.ToMajor(priceMinor, currency), $"{Money.Format(priceMinor, currency)} {currency}", stock);
    }

    private static ContentHttpResult NotConfigured() => Html(StorefrontHtml.NotConfigured(PublicKeySetting), StatusCodes.Status503ServiceUnavailable);

    private static ContentHttpResult Html(string html, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
}
