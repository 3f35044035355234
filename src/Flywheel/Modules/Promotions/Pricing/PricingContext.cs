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
        (StoreOf, StoreMembers) = NumberStores(Lines);
        _skus = Lines.Select(l => l.Sku).ToHashSet(StringComparer.Ordinal);
        _categories = Lines.Select(l => l.Category).ToHashSet(StringComparer.Ordinal);
        _brands = Lines.Select(l => l.Brand).ToHashSet(StringComparer.Ordinal);
        _stores = Lines.Select(l => l.Store).ToHashSet(StringComparer.Ordinal);
        Shipping = SelectShipping(cart);
        PriorityOption = cart.ShippingOptions.FirstOrDefault(o => o.Priority);
    }

    // The SKUs, categories, brands and stores of the cart's lines.
    private readonly HashSet<string> _skus;
    private readonly HashSet<string> _categories;
    private readonly HashSet<string> _brands;
    private readonly HashSet<string> _stores;

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
    /// <summary>Each line's store, numbered by the store's first line in the cart.</summary>
    public int[] StoreOf { get; }

    /// <summary>The lines of each store, in cart order.</summary>
    public int[][] StoreMembers { get; }

    public ShippingOption? Shipping { get; }
    public ShippingOption? PriorityOption { get; }

    /// <summary>
    /// Which lines are in a promotion's scope. Most promotions of a shop touch none of a cart's lines: a list of the
    /// scope naming no SKU (category, brand, store) of the cart rules every line out at once, without comparing
    /// each line with each entry.
    /// </summary>
    public bool[] ScopeOf(Promotion promotion)
    {
        var scope = promotion.Scope;
        var inScope = new bool[Lines.Length];
        if (NamesNone(scope.Skus, _skus) || NamesNone(scope.Categories, _categories) || NamesNone(scope.Brands, _brands)
            || NamesNone(scope.Stores, _stores))
        {
            return inScope;
        }
        for (var i = 0; i < inScope.Length; i++)
        {
            inScope[i] = scope.Includes(Lines[i]);
        }
        return inScope;
    }

    private static bool NamesNone(IReadOnlyList<string> allowed, HashSet<string> inCart)
    {
        if (allowed.Count == 0)
        {
            return false;
        }
        foreach (var entry in allowed)
        {
            if (inCart.Contains(entry))
            {
                return false;
            }
        }
        return true;
    }

    private static (int[] StoreOf, int[][] Members) NumberStores(CartLine[] lines)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var storeOf = new int[lines.Length];
        var members = new List<List<int>>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!numbers.TryGetValue(lines[i].Store, out var s))
            {
                s = numbers.Count;
                numbers[lines[i].Store] = s;
                members.Add([]);
            }
            storeOf[i] = s;
            members[s].Add(i);
        }
        return (storeOf, members.Select(m => m.ToArray()).ToArray());
    }

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
