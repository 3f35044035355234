namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// The names a session's figures go by: in the hold ledger (the truth: stock taken, each customer's units) and in the
/// counters engine (the admission gate in front of the ledger, and the attempts seen).
/// </summary>
public static class FlashSaleKeys
{
    /// <summary>What checkout and the ledger call a reservation made by an attempt.</summary>
    public const string Purpose = "flash_sale";

    /// <summary>The ledger's resource for one SKU's stock: capacity = the units on sale.</summary>
    public static string Stock(string saleId, string sku) => $"flash-sale:{saleId}:sku:{sku}:stock";

    /// <summary>The ledger's resource for one customer's units of one SKU: capacity = the per-customer limit.</summary>
    public static string Customer(string saleId, string sku, string customerId) => $"flash-sale:{saleId}:sku:{sku}:customer:{customerId}";

    // The session's id in braces is a Redis hash tag: the gate, the attempts and the book of one session are in one
    // hash slot, which the gate's one-script admission needs on a Redis Cluster.

    /// <summary>The gate's counter: units an attempt may still be admitted for.</summary>
    public static string Gate(string workspaceId, string saleId, string sku) => $"{workspaceId}:promotions:flash-sale:{{{saleId}}}:sku:{sku}:gate";

    /// <summary>How many attempts the session has seen, admitted or not.</summary>
    public static string Attempts(string workspaceId, string saleId) => $"{workspaceId}:promotions:flash-sale:{{{saleId}}}:attempts";

    /// <summary>The gate's book of the Idempotency-Keys it admitted for the session (docs/flash-sales.md).</summary>
    public static string Admitted(string workspaceId, string saleId) => $"{workspaceId}:promotions:flash-sale:{{{saleId}}}:admitted";

    /// <summary>The id pricing knows a session's price for one SKU by.</summary>
    public static string PromotionId(string saleId, string sku) => $"flash:{saleId}:{sku}";
}
