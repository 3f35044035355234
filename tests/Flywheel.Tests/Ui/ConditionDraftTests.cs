using Flywheel.Modules.Segments.Language;
using Flywheel.Ui.Pages.Segments;

namespace Flywheel.Tests.Ui;

/// <summary>The visual builder's model: what its rows print as, and which texts it can show without changing them.</summary>
public sealed class ConditionDraftTests
{
    [Fact]
    public void GroupsAndRows_PrintAsTheLanguageWritesThem()
    {
        var draft = new ConditionDraft { Joiner = Joiner.And };
        draft.Groups.Add(new RowGroup { Rows = { new ConditionRow { Attribute = "city", Value = "上海" } } });
        var paid = new ConditionRow
        {
            Kind = RowKind.Event, EventType = "order_paid", Times = 2,
            Window = WindowKind.Between, From = new DateTime(2026, 11, 1), To = new DateTime(2026, 11, 15),
        };
        paid.Where.Add(new PropertyRow { Property = "category", Value = "baby" });
        paid.Where.Add(new PropertyRow { Property = "amount", Operator = ComparisonOperator.Greater, Value = "100" });
        draft.Groups.Add(new RowGroup
        {
            Joiner = Joiner.Or,
            Rows =
            {
                new ConditionRow { Kind = RowKind.HasTag, Name = "VIP", Negated = true },
                paid,
                new ConditionRow { Attribute = "lifecycle", Operator = ComparisonOperator.In, Value = "dormant, lost" },
                new ConditionRow
                {
                    Kind = RowKind.Aggregate, Function = AggregateFunction.Sum, EventType = "order_paid", Property = "amount",
                    Window = WindowKind.LastDays, Days = 90, Operator = ComparisonOperator.GreaterOrEqual, Number = 500m,
                },
            },
        });

        // The "or" group sits inside the "and", so it is parenthesised; two where rows are a group of filters; "at least 2 times".
        Assert.Equal(
            "city = '上海' and (not has tag 'VIP' or did order_paid at least 2 times between 2026-11-01 and 2026-11-15 where (category = 'baby' and amount > 100)"
            + " or lifecycle in ('dormant', 'lost') or sum(order_paid.amount) in last 90 days >= 500)",
            SegmentText.Print(draft.ToCondition()!));
    }

    [Fact]
    public void UnfinishedRows_AreLeftOut()
    {
        var draft = new ConditionDraft();
        draft.Groups.Add(new RowGroup
        {
            Rows =
            {
                new ConditionRow { Attribute = "orders_count", Operator = ComparisonOperator.GreaterOrEqual, Value = "abc" },
                new ConditionRow { Kind = RowKind.Event },
                new ConditionRow { Attribute = "registered_at", Operator = ComparisonOperator.After, Value = "30 days ago" },
            },
        });

        Assert.Equal("registered_at after 30 days ago", SegmentText.Print(draft.ToCondition()!));
    }

    [Theory]
    [InlineData("lifecycle = 'dormant' and total_spend >= 500")]
    [InlineData("has tag 'VIP' or city = '上海' and not did order_paid in last 30 days")]
    [InlineData("city = '上海' and (in segment 'vip' or birthday = 1990-05-01) and gender is null")]
    [InlineData("count(order_refunded where amount > 10) between 2026-01-01 and 2026-03-31 = 0")]
    public void TextTheBuilderCanShow_ComesBackUnchanged(string text)
    {
        var condition = SegmentText.Parse(text);

        var draft = ConditionDraft.From(condition);

        Assert.NotNull(draft);
        Assert.Equal(text, SegmentText.Print(draft.ToCondition()!));
    }

    [Theory]
    // An "or" among an event's filters, a group three levels deep, "not" around a group.
    [InlineData("did order_paid where (category = 'baby' or category = 'toys')")]
    [InlineData("a = 1 and (b = 2 or (c = 3 and d = 4))")]
    [InlineData("not (city = '上海' or city = '杭州')")]
    // A string of digits on a property whose type is unknown would come back as a number.
    [InlineData("did wishlist_viewed where code = '123'")]
    public void TextTheBuilderCannotShow_StaysText(string text) => Assert.Null(ConditionDraft.From(SegmentText.Parse(text)));
}
