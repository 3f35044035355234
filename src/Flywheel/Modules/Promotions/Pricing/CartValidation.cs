namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>Checks a cart before pricing: <see cref="CartPricer"/> refuses an invalid one.</summary>
public static class CartValidation
{
    public const int MaxQuantity = 1_000_000;

    public static IReadOnlyList<ValidationError> Validate(Cart cart)
    {
        var errors = new List<ValidationError>();
        void Error(string field, string message) => errors.Add(new ValidationError(field, message));

        if (cart.Currency.Code is not { Length: 3 } code || !code.All(char.IsAsciiLetterUpper))
        {
            Error("currency", "must be an ISO 4217 code in capitals, such as CNY");
        }
        long total = 0;
        for (var i = 0; i < cart.Lines.Count; i++)
        {
            var line = cart.Lines[i];
            var at = $"lines[{i}]";
            if (string.IsNullOrWhiteSpace(line.Id))
            {
                Error($"{at}.id", "is required");
            }
            else if (cart.Lines.Take(i).Any(other => other.Id == line.Id))
            {
                Error($"{at}.id", $"'{line.Id}' is used by an earlier line");
            }
            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                Error($"{at}.sku", "is required");
            }
            if (line.Quantity is < 1 or > MaxQuantity)
            {
                Error($"{at}.quantity", $"must be between 1 and {MaxQuantity}");
            }
            if (line.UnitPrice is < 0 or > PromotionValidation.MaxAmount)
            {
                Error($"{at}.unitPrice", $"must be between 0 and {PromotionValidation.MaxAmount} minor units");
            }
            else if (line.Quantity is >= 1 and <= MaxQuantity)
            {
                // Saturating, so that a cart of absurd lines is reported rather than overflowing.
                total = (long)Int128.Min((Int128)total + (Int128)line.UnitPrice * line.Quantity, PromotionValidation.MaxAmount + 1);
            }
            if (line.Presale is { } presale)
            {
                ValidatePresale($"{at}.presale", presale, line.UnitPrice, Error);
            }
        }
        if (total > PromotionValidation.MaxAmount)
        {
            Error("lines", $"the cart's total must not exceed {PromotionValidation.MaxAmount} minor units");
        }
        for (var i = 0; i < cart.ShippingOptions.Count; i++)
        {
            var option = cart.ShippingOptions[i];
            if (string.IsNullOrWhiteSpace(option.Code))
            {
                Error($"shippingOptions[{i}].code", "is required");
            }
            else if (cart.ShippingOptions.Take(i).Any(other => other.Code == option.Code))
            {
                Error($"shippingOptions[{i}].code", $"'{option.Code}' is used by an earlier option");
            }
            if (option.Price is < 0 or > PromotionValidation.MaxAmount)
            {
                Error($"shippingOptions[{i}].price", $"must be between 0 and {PromotionValidation.MaxAmount} minor units");
            }
        }
        if (cart.SelectedShipping is { } selected && cart.ShippingOptions.All(o => o.Code != selected))
        {
            Error("selectedShipping", $"'{selected}' is not one of the shipping options");
        }
        return errors;
    }

    /// <summary>定金膨胀 rules: 0 &lt; deposit ≤ deposit value ≤ unit price.</summary>
    private static void ValidatePresale(string at, PresaleTerms presale, long unitPrice, Action<string, string> error)
    {
        if (presale.DepositPerUnit <= 0)
        {
            error($"{at}.depositPerUnit", "must be more than zero");
        }
        if (presale.DepositValuePerUnit < presale.DepositPerUnit)
        {
            error($"{at}.depositValuePerUnit", "must be at least the deposit paid");
        }
        if (presale.DepositValuePerUnit > unitPrice)
        {
            error($"{at}.depositValuePerUnit", "must not exceed the presale unit price");
        }
    }
}
