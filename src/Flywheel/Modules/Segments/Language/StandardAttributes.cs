using Flywheel.Modules.Customers.Contracts;
using static Flywheel.Modules.Segments.Language.AttributeType;

namespace Flywheel.Modules.Segments.Language;

/// <summary>The customer attributes and computed traits every workspace has.</summary>
public static class StandardAttributes
{
    /// <summary>The default lifecycle stages of SPEC §3.3.</summary>
    public static ValueList<string> LifecycleStages { get; } = ValueList.From(CustomerClassifications.LifecycleStages);

    /// <summary>The named RFM groups (SPEC §3.3), from the usual eleven-group reading of R, F and M scores.</summary>
    public static ValueList<string> RfmGroups { get; } = ValueList.From(CustomerClassifications.RfmGroups);

    /// <summary>As customer profiles store it (a missing gender is null: "is null" asks for it).</summary>
    public static ValueList<string> Genders { get; } = ["female", "male", "other"];

    public static IReadOnlyList<AttributeDefinition> All { get; } =
    [
        new("customer_id", Text, "The shop's id of the customer."),
        new("email", Text, "Email address."),
        new("phone", Text, "Mobile number."),
        new("name", Text, "Name."),
        new("city", Text, "City, as the shop sends it (上海, Hangzhou)."),
        new("province", Text, "Province or state."),
        new("country", Text, "Country."),
        new("gender", Choice, "Gender.", Genders),
        new("birthday", Date, "Date of birth."),
        new("registered_at", Instant, "When the customer signed up."),
        new("channel", Text, "The channel that acquired the customer (wechat, douyin, search, ...)."),
        new("member_tier", Text, "Membership tier, as the loyalty programme names it."),
        new("lifecycle", Choice, "Lifecycle stage.", LifecycleStages),
        new("rfm_group", Choice, "Named RFM group.", RfmGroups),
        new("r_score", Number, "Recency score, 1 (longest ago) to 5, a quintile within the workspace."),
        new("f_score", Number, "Frequency score, 1 to 5."),
        new("m_score", Number, "Monetary score, 1 to 5."),
        new("orders_count", Number, "Orders placed, paid or not."),
        new("paid_orders_count", Number, "Orders paid."),
        new("total_spend", Money, "Sum of paid order totals."),
        new("aov", Money, "Average order value: total_spend / paid_orders_count."),
        new("refund_count", Number, "Refunds received."),
        new("first_order_at", Instant, "When the first order was paid."),
        new("last_order_at", Instant, "When the last order was paid."),
        new("last_seen_at", Instant, "When the customer's last event happened."),
        new("days_since_last_order", Number, "Whole days since the last paid order."),
        new("avg_days_between_orders", Number, "Mean days between consecutive paid orders."),
        new("coupon_use_rate", Number, "Share of paid orders that used a coupon, 0 to 1."),
        new("favourite_category", Text, "The category the customer spent most on."),
    ];
}
