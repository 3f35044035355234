namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// What each unit of a line carries, so that returning some units refunds exactly what they were charged.
/// </summary>
public static class UnitSplit
{
    /// <summary>
    /// Splits a line amount evenly over its units; the minor units that do not divide go one each to the last units
    /// (0.04 over 3 units → 0.01, 0.01, 0.02). Units of a line are identical, so there is no remainder to rank:
    /// putting the odd minor units last keeps every other unit at the plain share.
    /// </summary>
    public static long[] Evenly(long amount, int quantity)
    {
        var units = new long[quantity];
        if (quantity == 0)
        {
            return units;
        }
        var share = amount / quantity;
        var extra = amount - share * quantity;
        for (var i = 0; i < quantity; i++)
        {
            units[i] = share + (i >= quantity - extra ? 1 : 0);
        }
        return units;
    }
}
