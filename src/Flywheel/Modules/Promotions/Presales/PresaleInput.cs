using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>
/// The body that creates a presale: amounts in major units of the workspace currency, instants in ISO 8601 (a time
/// without an offset is in the workspace's time zone). Every rule names its field.
/// </summary>
public static class PresaleInput
{
    public const int MaxSkus = 100;

    public static readonly string[] Fields =
    [
        "name", "skus", "price", "deposit", "deposit_value", "deposit_starts_at", "deposit_ends_at", "balance_starts_at", "balance_ends_at",
        "unpaid_deposit", "threshold_basis", "stock",
    ];

    public static readonly string[] ThresholdBases = ["balance", "full_price"];

    public static PresaleCampaign? Read(JsonElement body, string id, string workspaceId, WorkspaceSettings settings, DateTimeOffset now, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var name = Platform.Api.Fields.Required(j.Text("name"), "name", 200, errors);
        var skus = (j.Strings("skus") ?? []).Select(s => s.Trim()).ToArray();
        if (skus.Length == 0 && !errors.Has("skus"))
        {
            errors.Add("skus", "needs at least one SKU.");
        }
        else if (skus.Length > MaxSkus)
        {
            errors.Add("skus", $"has more than {MaxSkus} SKUs.");
        }
        else if (skus.FirstOrDefault(s => s.Length is 0 or > 200 || s.Contains(',', StringComparison.Ordinal)) is { } bad)
        {
            errors.Add("skus", $"'{bad}' is not a SKU: 1 to 200 characters, no commas.");
        }
        else if (skus.Distinct(StringComparer.Ordinal).Count() != skus.Length)
        {
            errors.Add("skus", "lists a SKU twice.");
        }
        var money = MoneyUnits.Major(settings.Currency);
        var price = Positive(money.Read(j, "price"), "price", errors);
        var deposit = Positive(money.Read(j, "deposit"), "deposit", errors);
        var depositValue = Positive(money.Read(j, "deposit_value"), "deposit_value", errors);
        // 定金膨胀: 0 < D ≤ E ≤ presale price.
        if (deposit is { } d && depositValue is { } e && e < d)
        {
            errors.Add("deposit_value", "must be at least the deposit (the deposit counts as at least what was paid).");
        }
        if (depositValue is { } value && price is { } p && value > p)
        {
            errors.Add("deposit_value", "must not exceed the presale price.");
        }
        var depositStarts = Instant(j, "deposit_starts_at", settings.Zone);
        var depositEnds = Instant(j, "deposit_ends_at", settings.Zone);
        var balanceStarts = Instant(j, "balance_starts_at", settings.Zone);
        var balanceEnds = Instant(j, "balance_ends_at", settings.Zone);
        if (depositStarts is { } ds && depositEnds is { } de && de <= ds)
        {
            errors.Add("deposit_ends_at", "must be after deposit_starts_at.");
        }
        if (depositEnds is { } de2 && balanceStarts is { } bs && bs < de2)
        {
            errors.Add("balance_starts_at", "must not be before deposit_ends_at: the balance is paid after the deposits are taken.");
        }
        if (balanceStarts is { } bs2 && balanceEnds is { } be && be <= bs2)
        {
            errors.Add("balance_ends_at", "must be after balance_starts_at.");
        }
        if (balanceEnds is { } be2 && be2 <= now)
        {
            errors.Add("balance_ends_at", "is already past.");
        }
        var unpaid = j.Text("unpaid_deposit") ?? UnpaidDeposit.Forfeit;
        if (!UnpaidDeposit.All.Contains(unpaid))
        {
            errors.Add("unpaid_deposit", $"'{unpaid}' is not one of {string.Join(", ", UnpaidDeposit.All)}.");
        }
        var basis = j.Text("threshold_basis") ?? "balance";
        if (!ThresholdBases.Contains(basis))
        {
            errors.Add("threshold_basis", $"'{basis}' is not one of {string.Join(", ", ThresholdBases)}.");
        }
        var stock = j.LongNumber("stock");
        if (stock is < 1)
        {
            errors.Add("stock", "must be at least 1 (leave it out for no limit).");
        }
        if (errors.Any)
        {
            return null;
        }
        return new PresaleCampaign
        {
            Id = id,
            WorkspaceId = workspaceId,
            Name = name!,
            Skus = string.Join(',', skus),
            Price = price!.Value,
            Deposit = deposit!.Value,
            DepositValue = depositValue!.Value,
            DepositStartsAt = depositStarts!.Value,
            DepositEndsAt = depositEnds!.Value,
            BalanceStartsAt = balanceStarts!.Value,
            BalanceEndsAt = balanceEnds!.Value,
            Unpaid = unpaid,
            ThresholdBasis = basis,
            Stock = stock,
            CreatedAt = now,
        };
    }

    private static long? Positive(long? amount, string field, FieldErrors errors)
    {
        if (amount is null && !errors.Has(field))
        {
            errors.Add(field, "is required.");
        }
        if (amount is <= 0)
        {
            errors.Add(field, "must be more than zero.");
            return null;
        }
        return amount;
    }

    private static DateTimeOffset? Instant(JsonInput j, string name, TimeZoneInfo zone)
    {
        if (j.Text(name) is not { } text)
        {
            if (!j.Errors.Has(name))
            {
                j.Errors.Add(name, "is required.");
            }
            return null;
        }
        if (Instants.TryParse(text, zone, out var value))
        {
            return value;
        }
        j.Errors.Add(name, $"'{text}' is not a date-time (ISO 8601, e.g. 2026-11-11T00:00:00+08:00).");
        return null;
    }
}
