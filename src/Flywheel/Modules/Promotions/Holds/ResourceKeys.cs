namespace Flywheel.Modules.Promotions.Holds;

/// <summary>
/// The names of the finite resources promotions and coupons reserve against (keys of <see cref="FiniteResource"/>,
/// within a workspace). A flash sale's stock or a group buy's seats would be one more name here.
/// </summary>
public static class ResourceKeys
{
    /// <summary>The capacity of a resource nobody limited: counted (for usage and spend figures), never refused.</summary>
    public const long Unlimited = 1_000_000_000_000_000_000;

    /// <summary>The discounts a promotion has given, in minor units: its budget when it has one.</summary>
    public static string Budget(string promotionId) => $"promotion:{promotionId}:budget";

    /// <summary>What the promotions drawing on a campaign budget have given together, in minor units.</summary>
    public static string CampaignBudget(string budgetId) => $"campaign-budget:{budgetId}";

    /// <summary>How many orders a promotion has applied to.</summary>
    public static string Uses(string promotionId) => $"promotion:{promotionId}:uses";

    /// <summary>How many of one customer's orders a promotion has applied to.</summary>
    public static string CustomerUses(string promotionId, string customerId) => $"promotion:{promotionId}:customer:{customerId}:uses";

    /// <summary>A coupon code: capacity 1, so it is redeemed once.</summary>
    public static string Coupon(string code) => $"coupon:{code}";

    /// <summary>How many coupons of a template have been issued (generated or claimed).</summary>
    public static string Issued(string templateId) => $"template:{templateId}:issued";

    /// <summary>How many coupons of a template one customer has claimed.</summary>
    public static string Claims(string templateId, string customerId) => $"template:{templateId}:customer:{customerId}:claims";

    /// <summary>The units a presale's deposits have reserved, when it has a stock.</summary>
    public static string PresaleStock(string presaleId) => $"presale:{presaleId}:stock";

    /// <summary>A presale deposit: capacity 1, so that its balance is paid by one order.</summary>
    public static string PresaleDeposit(string depositId) => $"presale-deposit:{depositId}";
}
