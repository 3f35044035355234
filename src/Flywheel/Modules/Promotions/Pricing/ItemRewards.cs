namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// What an item promotion takes off each line, given the lines' current amounts (after the item promotions applied
/// before it). No line goes below its floor (the presale deposit already paid, otherwise zero).
/// </summary>
internal static class ItemRewards
{
    public static (long[] Discounts, Shortfall Shortfall) Apply(Candidate candidate, PricingContext context, long[] current)
    {
        var n = current.Length;
        var scope = candidate.InScope;
        var room = new long[n];
        long spend = 0;
        var quantity = 0;
        for (var i = 0; i < n; i++)
        {
            if (scope[i])
            {
                room[i] = Math.Max(0, current[i] - context.Deposit[i]);
                spend += current[i];
                quantity += context.Quantities[i];
            }
        }
        var shortfall = Thresholds.Check(candidate.Promotion, spend, quantity);
        if (!shortfall.IsReached)
        {
            return (new long[n], shortfall);
        }
        var discounts = candidate.Promotion.Reward switch
        {
            PercentOff p => PercentOff(p, scope, current, room),
            AmountOff a => AmountOff(a, scope, current, room, context.Quantities),
            ThresholdOff t => Allocation.ProRata(Thresholds.ThresholdDiscount(t, spend), Masked(current, scope), room),
            QuantityLadder ladder => Ladder(ladder, quantity, scope, current, room),
            BuyGet b => BuyGet(b, scope, current, room, context.Quantities),
            BundlePrice bundle => Bundle(bundle, context, current, room, out shortfall),
            SpecialPrices prices => Special(prices, context, scope, current, room),
            _ => new long[n],
        };
        return (discounts, shortfall);
    }

    private static long[] PercentOff(PercentOff reward, bool[] scope, long[] current, long[] room)
    {
        var each = new long[current.Length];
        long total = 0;
        for (var i = 0; i < each.Length; i++)
        {
            each[i] = scope[i] ? Math.Min(room[i], Rounding.PercentOf(current[i], reward.Percent)) : 0;
            total += each[i];
        }
        // A cap is shared over the lines in proportion to what each would have had without it.
        return reward.Cap is { } cap && total > cap ? Allocation.ProRata(cap, each, each) : each;
    }

    private static long[] AmountOff(AmountOff reward, bool[] scope, long[] current, long[] room, int[] quantities)
    {
        if (!reward.PerUnit)
        {
            return Allocation.ProRata(reward.Amount, Masked(current, scope), room);
        }
        var each = new long[current.Length];
        for (var i = 0; i < each.Length; i++)
        {
            each[i] = scope[i] ? (long)Int128.Min(room[i], (Int128)reward.Amount * quantities[i]) : 0;
        }
        return each;
    }

    private static long[] Ladder(QuantityLadder ladder, int quantity, bool[] scope, long[] current, long[] room)
    {
        var step = Thresholds.StepReached(ladder, quantity)!;
        var each = new long[current.Length];
        for (var i = 0; i < each.Length; i++)
        {
            each[i] = scope[i] ? Math.Min(room[i], Rounding.PercentOf(current[i], step.Percent)) : 0;
        }
        return each;
    }

    /// <summary>
    /// The discounted units are the cheapest eligible ones: lines are ranked by current unit price (exactly, as
    /// fractions), equal prices in cart order. Each line's discount is the percentage of the part of its amount
    /// those units make, rounded half-up once.
    /// </summary>
    private static long[] BuyGet(BuyGet reward, bool[] scope, long[] current, long[] room, int[] quantities)
    {
        // Insertion into place, cheapest unit first: a cart has few lines, and equal prices keep cart order.
        var eligible = new int[current.Length];
        var count = 0;
        var units = 0;
        for (var i = 0; i < current.Length; i++)
        {
            if (!scope[i] || quantities[i] <= 0)
            {
                continue;
            }
            units += quantities[i];
            var at = count++;
            while (at > 0 && (Int128)current[i] * quantities[eligible[at - 1]] < (Int128)current[eligible[at - 1]] * quantities[i])
            {
                eligible[at] = eligible[at - 1];
                at--;
            }
            eligible[at] = i;
        }
        var discounted = units / (reward.Buy + reward.Get) * reward.Get;
        var each = new long[current.Length];
        foreach (var i in eligible.AsSpan(0, count))
        {
            if (discounted == 0)
            {
                break;
            }
            var take = Math.Min(discounted, quantities[i]);
            discounted -= take;
            var part = (decimal)current[i] * take * reward.Percent / (quantities[i] * 100m);
            each[i] = Math.Min(room[i], (long)Math.Round(part, MidpointRounding.AwayFromZero));
        }
        return each;
    }

    /// <summary>
    /// Complete sets only. Units are taken from the lines of each SKU in cart order; the bundle's discount is the
    /// regular amount of those units minus the bundle price per set, shared over them in proportion.
    /// </summary>
    private static long[] Bundle(BundlePrice bundle, PricingContext context, long[] current, long[] room, out Shortfall shortfall)
    {
        var lines = context.Lines;
        var sets = int.MaxValue;
        var missingUnits = 0;
        foreach (var item in bundle.Items)
        {
            var have = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Sku == item.Sku)
                {
                    have += lines[i].Quantity;
                }
            }
            sets = Math.Min(sets, have / item.Quantity);
            missingUnits += Math.Max(0, item.Quantity - have);
        }
        shortfall = new Shortfall(0, missingUnits);
        var portion = new long[lines.Length];
        if (sets == 0)
        {
            return portion;
        }
        foreach (var item in bundle.Items)
        {
            var need = sets * item.Quantity;
            for (var i = 0; i < lines.Length && need > 0; i++)
            {
                if (lines[i].Sku == item.Sku)
                {
                    var take = Math.Min(need, lines[i].Quantity);
                    need -= take;
                    portion[i] += Rounding.Share(current[i], take, lines[i].Quantity);
                }
            }
        }
        var saving = (Int128)portion.Sum() - (Int128)sets * bundle.Price;
        if (saving <= 0)
        {
            return new long[lines.Length];
        }
        var caps = portion.Select((p, i) => Math.Min(p, room[i])).ToArray();
        return Allocation.ProRata((long)saving, portion, caps);
    }

    private static long[] Special(SpecialPrices prices, PricingContext context, bool[] scope, long[] current, long[] room)
    {
        var each = new long[current.Length];
        for (var i = 0; i < each.Length; i++)
        {
            if (!scope[i])
            {
                continue;
            }
            foreach (var price in prices.Prices)
            {
                if (price.Sku == context.Lines[i].Sku)
                {
                    each[i] = (long)Int128.Clamp(current[i] - (Int128)price.UnitPrice * context.Quantities[i], 0, room[i]);
                    break;
                }
            }
        }
        return each;
    }

    private static long[] Masked(long[] values, bool[] scope)
    {
        var masked = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            masked[i] = scope[i] ? values[i] : 0;
        }
        return masked;
    }
}
