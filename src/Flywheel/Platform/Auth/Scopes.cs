using Flywheel.Modules.Workspaces.Model;

namespace Flywheel.Platform.Auth;

/// <summary>
/// What a caller may do. Secret keys carry a chosen set; a public key carries only <see cref="EventsWrite"/>;
/// a console user's scopes follow from their role.
/// </summary>
public static class Scopes
{
    public const string EventsWrite = "events:write";
    public const string EventsRead = "events:read";
    public const string CustomersRead = "customers:read";
    public const string CustomersWrite = "customers:write";
    public const string CatalogRead = "catalog:read";
    public const string CatalogWrite = "catalog:write";
    public const string OrdersRead = "orders:read";
    public const string OrdersWrite = "orders:write";
    /// <summary>KPIs, dashboards and reports.</summary>
    public const string AnalyticsRead = "analytics:read";
    /// <summary>Marketing spend data and the gross margin: upsert, import and delete them.</summary>
    public const string MarketingWrite = "marketing:write";
    /// <summary>Report subscriptions: create, change, delete and run them.</summary>
    public const string ReportsWrite = "reports:write";
    /// <summary>Promotions, coupon templates and issued coupons: read them.</summary>
    public const string PromotionsRead = "promotions:read";
    /// <summary>Promotions and coupon templates: create, change, end; generate codes.</summary>
    public const string PromotionsWrite = "promotions:write";
    /// <summary>A shop's checkout: quote carts, claim coupons for customers, reserve, commit and release.</summary>
    public const string CheckoutWrite = "checkout:write";
    /// <summary>Workspace settings, users, keys and the audit log.</summary>
    public const string Admin = "admin";

    public static readonly string[] All =
        [EventsWrite, EventsRead, CustomersRead, CustomersWrite, CatalogRead, CatalogWrite, OrdersRead, OrdersWrite, AnalyticsRead, Admin, ReportsWrite, MarketingWrite, PromotionsRead, PromotionsWrite, CheckoutWrite];

    public static readonly string[] ReadOnly = [EventsRead, CustomersRead, CatalogRead, OrdersRead, AnalyticsRead, PromotionsRead];

    public static IReadOnlyList<string> ForRole(Role role) => role switch
    {
        Role.Owner or Role.Admin => All,
        Role.Marketer => [EventsWrite, EventsRead, CustomersRead, CustomersWrite, CatalogRead, CatalogWrite, OrdersRead, OrdersWrite, AnalyticsRead, ReportsWrite, MarketingWrite, PromotionsRead, PromotionsWrite, CheckoutWrite],
        // Analysts own the periodic reviews: they may manage report subscriptions, and change nothing else.
        Role.Analyst => [.. ReadOnly, ReportsWrite],
        Role.Viewer => ReadOnly,
        _ => [],
    };

    public static bool IsKnown(string scope) => Array.IndexOf(All, scope) >= 0;
}
