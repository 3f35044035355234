using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Modules.Promotions.Simulation;

/// <summary>
/// Prices each past cart twice — with the promotions it is compared with, and with the draft added — in the order the
/// orders were paid, using up the draft's budget and limits as checkout would, and sums what changed. Pure: the
/// caller reads the orders, their buyers and costs (docs/promotions.md, "Simulation").
/// </summary>
public static class PromotionSimulation
{
    public const int LargestCostsShown = 20;
    public const string FirstOrders = "first_order";
    public const string RepeatOrders = "repeat_order";
    public const string NoSegment = "";

    public static SimulationResult Run(Promotion draft, DraftLimits limits, IReadOnlyList<Promotion> others, IEnumerable<HistoricalCart> carts)
    {
        long budgetSpent = 0, draftAmount = 0, cost = 0, payableBefore = 0, payableAfter = 0;
        long goodsCost = 0, revenueBefore = 0, revenueAfter = 0;
        int orders = 0, touched = 0, withCost = 0, refusedBudget = 0, refusedLimit = 0, totalUses = 0;
        var customerUses = new Dictionary<string, int>(StringComparer.Ordinal);
        var touchedCustomers = new HashSet<string>(StringComparer.Ordinal);
        var notApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        var segments = new Dictionary<string, GroupTally>(StringComparer.Ordinal);
        var buyers = new Dictionary<string, GroupTally>(StringComparer.Ordinal) { [FirstOrders] = new(), [RepeatOrders] = new() };
        var largest = new List<TouchedOrder>();
        var withDraft = new List<Promotion>(others.Count + 1);
        withDraft.AddRange(others);
        withDraft.Add(draft);

        foreach (var order in carts)
        {
            orders++;
            var customer = order.Cart.Customer.Id;
            var used = customerUses.GetValueOrDefault(customer);
            withDraft[^1] = draft with
            {
                BudgetRemaining = limits.Budget is { } budget ? budget - budgetSpent : null,
                LimitReached = totalUses >= limits.TotalLimit || used >= limits.PerCustomerLimit,
            };
            var before = CartPricer.Price(order.Cart, others);
            var after = CartPricer.Price(order.Cart, withDraft);
            var outcome = after.Promotions.First(o => o.PromotionId == draft.Id);
            var orderCost = before.Payable - after.Payable + after.Chosen.GiftValue - before.Chosen.GiftValue;
            payableBefore += before.Payable;
            payableAfter += after.Payable;
            if (order.GoodsCost is { } goods)
            {
                withCost++;
                goodsCost += goods;
                revenueBefore += before.GoodsTotal;
                revenueAfter += after.GoodsTotal;
            }
            var groups = order.Segments.Count == 0 ? [NoSegment] : order.Segments;
            var buyer = buyers[order.Cart.Customer.IsFirstOrder ? FirstOrders : RepeatOrders];
            if (!outcome.Applied)
            {
                var reason = QuoteView.Reason(outcome.Reason!.Value);
                notApplied[reason] = notApplied.GetValueOrDefault(reason) + 1;
                refusedBudget += outcome.Reason == RejectionReason.BudgetInsufficient ? 1 : 0;
                refusedLimit += outcome.Reason == RejectionReason.LimitReached ? 1 : 0;
                foreach (var g in groups)
                {
                    Tally(segments, g).Add(customer, 0, false);
                }
                buyer.Add(customer, 0, false);
                continue;
            }
            touched++;
            touchedCustomers.Add(customer);
            totalUses++;
            customerUses[customer] = used + 1;
            budgetSpent += outcome.Amount;
            draftAmount += outcome.Amount;
            cost += orderCost;
            foreach (var g in groups)
            {
                Tally(segments, g).Add(customer, orderCost, true);
            }
            buyer.Add(customer, orderCost, true);
            largest.Add(new TouchedOrder(order.OrderId, customer, order.Cart.Now, before.Payable, after.Payable, outcome.Amount, orderCost));
            if (largest.Count > 4 * LargestCostsShown)
            {
                largest = Largest(largest);
            }
        }
        return new SimulationResult
        {
            OrdersPriced = orders,
            OrdersTouched = touched,
            CustomersTouched = touchedCustomers.Count,
            DraftAmount = draftAmount,
            Cost = cost,
            PayableBefore = payableBefore,
            PayableAfter = payableAfter,
            OrdersWithCost = withCost,
            GoodsCost = goodsCost,
            GoodsRevenueBefore = revenueBefore,
            GoodsRevenueAfter = revenueAfter,
            RefusedForBudget = refusedBudget,
            RefusedForLimit = refusedLimit,
            BudgetSpent = budgetSpent,
            NotAppliedBecause = notApplied,
            Segments = [.. segments.Select(kv => kv.Value.Benefit(kv.Key))
                .OrderByDescending(b => b.Cost).ThenByDescending(b => b.OrdersTouched).ThenBy(b => b.Group, StringComparer.Ordinal)],
            Buyers = [.. buyers.Select(kv => kv.Value.Benefit(kv.Key))],
            LargestCosts = Largest(largest),
        };
    }

    private static List<TouchedOrder> Largest(List<TouchedOrder> orders) =>
        [.. orders.OrderByDescending(o => o.Cost).ThenBy(o => o.OrderId, StringComparer.Ordinal).Take(LargestCostsShown)];

    private static GroupTally Tally(Dictionary<string, GroupTally> tallies, string group)
    {
        if (!tallies.TryGetValue(group, out var tally))
        {
            tallies[group] = tally = new GroupTally();
        }
        return tally;
    }

    private sealed class GroupTally
    {
        private readonly HashSet<string> customers = new(StringComparer.Ordinal);
        private int orders;
        private int touched;
        private long cost;

        public void Add(string customer, long orderCost, bool wasTouched)
        {
            orders++;
            if (wasTouched)
            {
                touched++;
                cost += orderCost;
                customers.Add(customer);
            }
        }

        public GroupBenefit Benefit(string group) => new(group, orders, touched, customers.Count, cost);
    }
}
