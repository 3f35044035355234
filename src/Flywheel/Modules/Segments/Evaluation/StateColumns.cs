using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>How a value is compared: text, a whole number (money in minor units), a real, an instant (UTC ticks) or a date.</summary>
internal enum ColumnKind
{
    Text,
    Whole,
    Real,
    Instant,
    Date,
}

/// <summary>The tables an expression reads: the customer (c), their stored traits (t), their RFM score (r).</summary>
[Flags]
internal enum StateTables
{
    None = 0,
    Customer = 1,
    Traits = 2,
    Rfm = 4,
}

/// <summary>An attribute as a SQL expression over the customer (c), their stored traits (t) and RFM score (r).</summary>
/// <param name="Sql">The expression.</param>
/// <param name="Kind">How its values compare.</param>
/// <param name="Scale">For money: the factor from the currency's major units to the stored minor units.</param>
internal sealed record StateColumn(string Sql, ColumnKind Kind, decimal Scale = 1)
{
    public StateTables Tables => (Sql.Contains("c.\"", StringComparison.Ordinal) ? StateTables.Customer : 0)
        | (Sql.Contains("t.\"", StringComparison.Ordinal) ? StateTables.Traits : 0)
        | (Sql.Contains("r.\"", StringComparison.Ordinal) ? StateTables.Rfm : 0);
}

/// <summary>
/// Where each attribute of the standard catalogue lives in the state store. Counts and money of customers without
/// orders are 0 (as the customer page shows them); averages, instants and scores of those customers are absent.
/// </summary>
internal static class StateColumns
{
    public const long TicksPerDay = TimeSpan.TicksPerDay;

    /// <summary>The tables every attribute is read from; a customer without orders or score has nulls on the right.</summary>
    public const string From = "\"cdp_customers\" c " + Joins;

    /// <summary>
    /// A stored-traits row of nothing but nulls: what a customer without orders has. A condition over traits alone that
    /// is false here is false for every customer without a row, so it may be answered from the traits table alone.
    /// </summary>
    public const string AbsentTraits = """
        (SELECT CAST(NULL AS INTEGER) AS "OrdersCount", CAST(NULL AS INTEGER) AS "PaidOrders", CAST(NULL AS BIGINT) AS "TotalSpendMinor",
            CAST(NULL AS BIGINT) AS "AovMinor", CAST(NULL AS INTEGER) AS "RefundCount", CAST(NULL AS BIGINT) AS "FirstOrderAt",
            CAST(NULL AS BIGINT) AS "LastOrderAt", CAST(NULL AS BIGINT) AS "PreviousOrderAt", CAST(NULL AS DOUBLE PRECISION) AS "AvgDaysBetweenOrders",
            CAST(NULL AS DOUBLE PRECISION) AS "CouponUseRate", CAST(NULL AS VARCHAR(200)) AS "FavouriteCategory",
            CAST(NULL AS VARCHAR(100)) AS "AcquisitionChannel") t
        """;

    /// <summary>The customer's stored traits and RFM score, joined to a customer row named c.</summary>
    public const string Joins = TraitsJoin + "\n" + RfmJoin;

    private const string TraitsJoin =
        "LEFT JOIN \"cdp_customer_traits\" t ON t.\"WorkspaceId\" = c.\"WorkspaceId\" AND t.\"CustomerExternalId\" = c.\"ExternalId\"";

    private const string RfmJoin =
        "LEFT JOIN \"cdp_rfm_scores\" r ON r.\"WorkspaceId\" = c.\"WorkspaceId\" AND r.\"CustomerExternalId\" = c.\"ExternalId\"";

    /// <summary>The customers with only the tables <paramref name="tables"/> names joined: a join not read is not paid for.</summary>
    public static string FromCustomers(StateTables tables) => "\"cdp_customers\" c"
        + (tables.HasFlag(StateTables.Traits) ? "\n" + TraitsJoin : "")
        + (tables.HasFlag(StateTables.Rfm) ? "\n" + RfmJoin : "");

    public static StateColumn Of(string attribute, SqlText sql, EvaluationContext context) => attribute switch
    {
        "customer_id" => new("c.\"ExternalId\"", ColumnKind.Text),
        "email" => new("c.\"Email\"", ColumnKind.Text),
        "phone" => new("c.\"Phone\"", ColumnKind.Text),
        "name" => new("c.\"Name\"", ColumnKind.Text),
        "city" => new("c.\"City\"", ColumnKind.Text),
        "province" => new("c.\"Region\"", ColumnKind.Text),
        "country" => new(ProfileAttribute("country", context), ColumnKind.Text),
        "member_tier" => new(ProfileAttribute("member_tier", context), ColumnKind.Text),
        "gender" => new("c.\"Gender\"", ColumnKind.Text),
        "birthday" => new("c.\"Birthday\"", ColumnKind.Date),
        "registered_at" => new("c.\"RegisteredAt\"", ColumnKind.Instant),
        "channel" => new("COALESCE(c.\"RegistrationChannel\", t.\"AcquisitionChannel\")", ColumnKind.Text),
        "lifecycle" => new(Lifecycle(sql, context), ColumnKind.Text),
        "rfm_group" => new("r.\"Group\"", ColumnKind.Text),
        "r_score" => new("r.\"R\"", ColumnKind.Whole),
        "f_score" => new("r.\"F\"", ColumnKind.Whole),
        "m_score" => new("r.\"M\"", ColumnKind.Whole),
        "orders_count" => new("COALESCE(t.\"OrdersCount\", 0)", ColumnKind.Whole),
        "paid_orders_count" => new("COALESCE(t.\"PaidOrders\", 0)", ColumnKind.Whole),
        "total_spend" => new("COALESCE(t.\"TotalSpendMinor\", 0)", ColumnKind.Whole, MinorPerMajor(context)),
        "aov" => new("t.\"AovMinor\"", ColumnKind.Whole, MinorPerMajor(context)),
        "refund_count" => new("COALESCE(t.\"RefundCount\", 0)", ColumnKind.Whole),
        "first_order_at" => new("t.\"FirstOrderAt\"", ColumnKind.Instant),
        "last_order_at" => new("t.\"LastOrderAt\"", ColumnKind.Instant),
        "last_seen_at" => new("c.\"LastSeenAt\"", ColumnKind.Instant),
        // Whole days: the difference is not negative for an order already paid, so integer division is the floor.
        "days_since_last_order" => new($"(({sql.Parameter(context.Now.UtcTicks)} - t.\"LastOrderAt\") / {TicksPerDay})", ColumnKind.Whole),
        "avg_days_between_orders" => new("t.\"AvgDaysBetweenOrders\"", ColumnKind.Real),
        "coupon_use_rate" => new("t.\"CouponUseRate\"", ColumnKind.Real),
        "favourite_category" => new("t.\"FavouriteCategory\"", ColumnKind.Text),
        _ => throw new ArgumentException($"The attribute '{attribute}' has no place in the state store.", nameof(attribute)),
    };

    private static decimal MinorPerMajor(EvaluationContext context)
    {
        decimal scale = 1;
        for (var i = 0; i < Money.MinorDigits(context.Currency); i++)
        {
            scale *= 10;
        }
        return scale;
    }

    // The key is a catalogue name, never user text.
    private static string ProfileAttribute(string key, EvaluationContext context) => context.Postgres
        ? $"(c.\"Attributes\"::jsonb ->> '{key}')"
        : $"json_extract(c.\"Attributes\", '$.{key}')";

    /// <summary>
    /// The stage as <c>Lifecycle.Of</c> gives it, from the stored last and previous payment: lost at LostDays after the
    /// last payment, dormant at ActiveDays, otherwise new (one payment), won back (a gap of ActiveDays or more before
    /// the last payment) or active.
    /// </summary>
    private static string Lifecycle(SqlText sql, EvaluationContext context)
    {
        var (lost, dormant, gap) = LifecycleBounds(sql, context);
        return $"""
            (CASE WHEN t."PaidOrders" IS NULL OR t."PaidOrders" = 0 THEN 'prospect'
                WHEN t."LastOrderAt" <= {lost} THEN 'lost'
                WHEN t."LastOrderAt" <= {dormant} THEN 'dormant'
                WHEN t."PaidOrders" = 1 THEN 'new'
                WHEN t."LastOrderAt" - t."PreviousOrderAt" >= {gap} THEN 'won_back'
                ELSE 'active' END)
            """;
    }

    /// <summary>
    /// One stage as a predicate, true or false and never NULL, equal to <see cref="Lifecycle"/> = stage but free of the
    /// CASE, so that the store may use the comparisons as they stand (a test of one stage is the common question).
    /// </summary>
    public static string LifecycleStage(string stage, SqlText sql, EvaluationContext context)
    {
        var (lost, dormant, gap) = LifecycleBounds(sql, context);
        const string Buyer = "t.\"PaidOrders\" IS NOT NULL AND t.\"PaidOrders\" > 0 AND t.\"LastOrderAt\" IS NOT NULL";
        const string Repeat = "t.\"PaidOrders\" IS NOT NULL AND t.\"PaidOrders\" > 1 AND t.\"LastOrderAt\" IS NOT NULL AND t.\"PreviousOrderAt\" IS NOT NULL";
        return stage switch
        {
            "prospect" => "(t.\"PaidOrders\" IS NULL OR t.\"PaidOrders\" = 0)",
            "lost" => $"({Buyer} AND t.\"LastOrderAt\" <= {lost})",
            "dormant" => $"({Buyer} AND t.\"LastOrderAt\" <= {dormant} AND t.\"LastOrderAt\" > {lost})",
            "new" => $"({Buyer} AND t.\"PaidOrders\" = 1 AND t.\"LastOrderAt\" > {dormant})",
            "won_back" => $"({Repeat} AND t.\"LastOrderAt\" > {dormant} AND t.\"LastOrderAt\" - t.\"PreviousOrderAt\" >= {gap})",
            "active" => $"({Repeat} AND t.\"LastOrderAt\" > {dormant} AND t.\"LastOrderAt\" - t.\"PreviousOrderAt\" < {gap})",
            // A stage a workspace's catalogue may name but no customer is in.
            _ => "(1 = 0)",
        };
    }

    private static (string Lost, string Dormant, string Gap) LifecycleBounds(SqlText sql, EvaluationContext context)
    {
        var now = context.Now.UtcTicks;
        return (sql.Parameter(now - StoredTraitTable.LifecycleLostDays * TicksPerDay),
            sql.Parameter(now - StoredTraitTable.LifecycleActiveDays * TicksPerDay),
            sql.Parameter(StoredTraitTable.LifecycleActiveDays * TicksPerDay));
    }
}
