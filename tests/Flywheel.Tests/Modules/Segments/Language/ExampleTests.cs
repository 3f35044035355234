using Flywheel.Modules.Segments.Language;
using static Flywheel.Modules.Segments.Language.ComparisonOperator;

namespace Flywheel.Tests.Modules.Segments.Language;

/// <summary>The seven examples the language was designed around, each read into a model written out by hand.</summary>
public sealed class ExampleTests
{
    private static AttributeCondition Attribute(string name, ComparisonOperator op, Literal value) => new(name, Comparison.Of(op, value));

    public static TheoryData<string, Condition> Examples => new()
    {
        {
            "lifecycle = 'dormant' and orders_count >= 2",
            new AndCondition([Attribute("lifecycle", Equal, Literal.Of("dormant")), Attribute("orders_count", GreaterOrEqual, Literal.Of(2m))])
        },
        {
            "did order_paid at least 2 times in last 90 days where category = 'baby'",
            new EventCondition("order_paid", new Frequency(FrequencyKind.AtLeast, 2), new InLastDays(90),
                new PropertyComparison("category", Comparison.Of(Equal, Literal.Of("baby"))))
        },
        {
            "did product_view in last 7 days and not did order_paid in last 30 days",
            new AndCondition([
                new EventCondition("product_view", Frequency.AtLeastOnce, new InLastDays(7)),
                new NotCondition(new EventCondition("order_paid", Frequency.AtLeastOnce, new InLastDays(30))),
            ])
        },
        {
            "total_spend > 1000 and city in ('上海', '杭州')",
            new AndCondition([
                Attribute("total_spend", Greater, Literal.Of(1000m)),
                new AttributeCondition("city", Comparison.In(Literal.Of("上海"), Literal.Of("杭州"))),
            ])
        },
        {
            "rfm_group = 'champions' or has tag 'VIP'",
            new OrCondition([Attribute("rfm_group", Equal, Literal.Of("champions")), new HasTagCondition("VIP")])
        },
        {
            "sum(order_paid.amount) in last 30 days >= 500",
            new AggregateCondition(AggregateFunction.Sum, "order_paid", "amount", new InLastDays(30), null, GreaterOrEqual, 500m)
        },
        {
            "in segment 'high-value' and last_order_at before 2026-06-01",
            new AndCondition([new InSegmentCondition("high-value"), Attribute("last_order_at", Before, Literal.Of(new DateOnly(2026, 6, 1)))])
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ParsesToTheModelWrittenByHand(string text, Condition expected)
    {
        Assert.Equal(expected, SegmentText.Parse(text));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_IsItsOwnCanonicalText(string text, Condition model)
    {
        Assert.Equal(text, SegmentText.Print(model));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_PassesTheCheckerWithTheStandardCatalogue(string text, Condition _)
    {
        Assert.Empty(SegmentChecker.Check(SegmentText.Parse(text), SegmentCatalogue.Default));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_SurvivesTheJsonForm(string text, Condition model)
    {
        Assert.Equal(model, SegmentJson.Read(SegmentJson.Write(SegmentText.Parse(text))));
    }
}
