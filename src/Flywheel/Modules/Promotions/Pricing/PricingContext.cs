namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>The cart's facts that every combination starts from, computed once per pricing.</summary>
internal sealed class PricingContext
{
    public PricingContext(Cart cart)
    {
        Cart = cart;
        Lines = [.. cart.Lines];
        var n = Lines.Length;
        Quantities = new int[n];
        Inflation = new long[n];
        Deposit = new long[n];
        ThresholdOnBalance = new bool[n];
        StartAmounts = new long[n];
        for (var i = 0; i < n; i++)
        {
            var line = Lines[i];
            Quantities[i] = line.Quantity;
            if (line.Presale is { } presale)
            {
                Inflation[i] = (presale.DepositValuePerUnit - presale.DepositPerUnit) * line.Quantity;
                Deposit[i] = presale.DepositPerUnit * line.Quantity;
                ThresholdOnBalance[i] = presale.ThresholdBasis == PresaleThresholdBasis.Balance;
            }
            StartAmounts[i] = line.ListAmount - Inflation[i];
        }
        Shipping = SelectShipping(cart);
        PriorityOption = cart.ShippingOptions.FirstOrDefault(o => o.Priority);
    }

    public Cart Cart { get; }
    public CartLine[] Lines { get; }
    public int[] Quantities { get; }

    /// <summary>Presale deposit inflation per line, applied before any promotion.</summary>
    public long[] Inflation { get; }

    /// <summary>Deposits paid per line: no discount goes below them.</summary>
    public long[] Deposit { get; }
    public bool[] ThresholdOnBalance { get; }

    /// <summary>Line amounts before promotions: list − presale inflation.</summary>
    public long[] StartAmounts { get; }
    public ShippingOption? Shipping { get; }
    public ShippingOption? PriorityOption { get; }

    public bool[] ScopeOf(Promotion promotion) => Lines.Select(promotion.Scope.Includes).ToArray();

    private static ShippingOption? SelectShipping(Cart cart) =>
        cart.SelectedShipping is null
            ? (cart.ShippingOptions.Count > 0 ? cart.ShippingOptions[0] : null)
            : cart.ShippingOptions.FirstOrDefault(o => o.Code == cart.SelectedShipping);
}

/// <summary>A promotion that passed the checks that do not depend on other promotions.</summary>
internal sealed class Candidate(Promotion promotion, bool[] inScope)
{
    public Promotion Promotion { get; } = promotion;
    public bool[] InScope { get; } = inScope;
    public string Id => Promotion.Id;

    /// <summary>What it takes off alone, on the undiscounted cart: no combination lets it take more.</summary>
    public long Standalone { get; set; }
    public long StandaloneGiftValue { get; set; }

    /// <summary>The standalone amount line by line (item promotions).</summary>
    public long[] StandaloneLines { get; set; } = [];

    /// <summary>Its place in the application order of its class (see <see cref="CombinationEvaluator.ApplicationOrder"/>).</summary>
    public int Rank { get; set; }

    /// <summary>True when it stacks with nothing of its own class: then it is alone in its class on its lines (item) or on the cart.</summary>
    public bool StandsAloneInClass => !Promotion.CombinesWith.Contains(Promotion.Class);
}
