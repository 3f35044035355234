namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>The priced lines of the chosen combination, with each promotion's part and the per-unit breakdown.</summary>
internal static class QuoteLines
{
    public static PricedLine[] Build(PricingContext context, Evaluation chosen)
    {
        var lines = new PricedLine[context.Lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = context.Lines[i];
            var adjustments = chosen.Applied
                .Where(a => a.Lines[i] > 0)
                .Select(a => new LineAdjustment(a.Candidate.Id, a.Candidate.Promotion.Class, a.Lines[i]))
                .ToArray();
            var discounts = context.Inflation[i] + chosen.ItemDiscount[i] + chosen.OrderDiscount[i];
            lines[i] = new PricedLine(line.Id, line.Quantity, line.UnitPrice)
            {
                Store = line.Store,
                PresaleInflation = context.Inflation[i],
                ItemDiscount = chosen.ItemDiscount[i],
                OrderDiscount = chosen.OrderDiscount[i],
                DepositPaid = context.Deposit[i],
                UnitDiscounts = UnitSplit.Evenly(discounts, line.Quantity),
                Adjustments = adjustments,
            };
        }
        return lines;
    }
}
