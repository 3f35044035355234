using System.Globalization;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>A presale and its deposits as the API shows them: amounts in major units of the workspace currency.</summary>
public static class PresaleViews
{
    /// <summary>Where a presale is in its life at <paramref name="now"/>.</summary>
    public static string Phase(PresaleCampaign p, DateTimeOffset now) =>
        p.Status == PresaleStatus.Cancelled ? PresaleStatus.Cancelled
        : now < p.DepositStartsAt ? "upcoming"
        : now < p.DepositEndsAt ? "deposit"
        : now < p.BalanceStartsAt ? "waiting_for_balance"
        : now < p.BalanceEndsAt ? "balance"
        : "ended";

    public static JsonObject Of(PresaleCampaign p, string currency, DateTimeOffset now, IReadOnlyDictionary<string, int> depositsByState, long? stockTaken)
    {
        var money = MoneyUnits.Major(currency);
        var deposits = new JsonObject();
        foreach (var state in DepositState.All)
        {
            deposits[state] = depositsByState.GetValueOrDefault(state);
        }
        return new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["skus"] = new JsonArray(p.SkuList.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["price"] = money.Write(p.Price),
            ["deposit"] = money.Write(p.Deposit),
            ["deposit_value"] = money.Write(p.DepositValue),
            // What is left to pay per unit before any discount: price − deposit value.
            ["balance"] = money.Write(p.Price - p.DepositValue),
            ["deposit_starts_at"] = Instant(p.DepositStartsAt),
            ["deposit_ends_at"] = Instant(p.DepositEndsAt),
            ["balance_starts_at"] = Instant(p.BalanceStartsAt),
            ["balance_ends_at"] = Instant(p.BalanceEndsAt),
            ["unpaid_deposit"] = p.Unpaid,
            ["threshold_basis"] = p.ThresholdBasis,
            ["stock"] = p.Stock,
            ["stock_taken"] = stockTaken ?? 0,
            ["status"] = p.Status,
            ["phase"] = Phase(p, now),
            ["deposits"] = deposits,
            ["created_at"] = Instant(p.CreatedAt),
        };
    }

    public static JsonObject Of(PresaleDeposit d, string currency) => new()
    {
        ["id"] = d.Id,
        ["presale_id"] = d.PresaleId,
        ["customer_id"] = d.CustomerId,
        ["sku"] = d.Sku,
        ["quantity"] = d.Quantity,
        ["amount"] = MoneyUnits.Major(currency).Write(d.Amount),
        ["payment_id"] = d.PaymentId,
        ["state"] = d.State,
        ["paid_at"] = Instant(d.PaidAt),
        ["settled_at"] = d.SettledAt is { } s ? Instant(s) : null,
        ["order_id"] = d.OrderId,
    };

    private static string Instant(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
