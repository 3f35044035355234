using Flywheel.Modules.Segments.Language;

namespace Flywheel.Tests.Modules.Segments.Language;

/// <summary>Text that parses but means nothing against the catalogue, and the errors the checker gives it.</summary>
public sealed class CheckerTests
{
    private static IReadOnlyList<SegmentError> Check(string text, SegmentCatalogue? catalogue = null)
    {
        var parsed = SegmentText.ParseWithPositions(text);
        return SegmentChecker.Check(parsed.Condition, catalogue ?? SegmentCatalogue.Default, parsed.Positions);
    }

    public static TheoryData<string, int, int, string, string> Mistakes => new()
    {
        { "lifecycl = 'dormant'", 1, 1, "$.attribute", "unknown attribute 'lifecycl'; did you mean 'lifecycle'?" },
        { "LIFECYCLE = 'dormant'", 1, 1, "$.attribute", "unknown attribute 'LIFECYCLE'; did you mean 'lifecycle'?" },
        { "lifecycle = 'sleeping'", 1, 13, "$.value", "unknown lifecycle value 'sleeping'; expected one of 'prospect', 'new', 'active', 'dormant', 'lost', 'won_back'" },
        { "rfm_group in ('champions', 'vip')", 1, 28, "$.values[1]", "unknown rfm_group value 'vip'; expected one of 'champions', 'loyal', 'potential_loyalists', 'recent', 'promising', 'need_attention', 'about_to_sleep', 'at_risk', 'cant_lose', 'hibernating', 'lost'" },
        { "orders_count before 2026-06-01", 1, 14, "$.operator", "'before' does not apply to orders_count, which is a number; expected =, !=, >, >=, <, <=, in, not in, is null, is not null" },
        { "orders_count contains 'x'", 1, 14, "$.operator", "'contains' does not apply to orders_count, which is a number; expected =, !=, >, >=, <, <=, in, not in, is null, is not null" },
        { "city > 5", 1, 6, "$.operator", "'>' does not apply to city, which is a string; expected =, !=, in, not in, contains, is null, is not null" },
        { "lifecycle contains 'dor'", 1, 11, "$.operator", "'contains' does not apply to lifecycle, which is one of a fixed list of values; expected =, !=, in, not in, is null, is not null" },
        { "orders_count >= 'abc'", 1, 17, "$.value", "expected a number for orders_count, found the string 'abc'" },
        { "total_spend > 2026-01-01", 1, 15, "$.value", "expected a number for total_spend, found the date 2026-01-01" },
        { "city = 5", 1, 8, "$.value", "expected a string in single quotes for city, found the number 5" },
        { "birthday after 30 days ago", 1, 16, "$.value", "expected a date (YYYY-MM-DD) for birthday, found 30 days ago" },
        { "last_order_at after 'yesterday'", 1, 21, "$.value", "expected a date (YYYY-MM-DD), a date-time or 'N days ago' for last_order_at, found the string 'yesterday'" },
        { "last_order_at = 30 days ago", 1, 17, "$.value", "'30 days ago' is a moment; expected before, after, <, <=, > or >= with it, found '='" },
        { "last_order_at before 0 days ago", 1, 22, "$.value", "expected a positive whole number of days before 'days ago', found 0" },
        { "did order_paid at least 0 times", 1, 25, "$.frequency.times", "expected a positive whole number of times, found 0" },
        { "did order_paid exactly -2 times", 1, 24, "$.frequency.times", "expected a positive whole number of times, found -2" },
        { "did order_paid in last 0 days", 1, 24, "$.window.days", "expected a positive whole number of days, found 0" },
        { "did order_paid in last 36501 days", 1, 24, "$.window.days", "expected at most 36500 days, found 36501" },
        { "last_seen_at after 99999 days ago", 1, 20, "$.value", "expected at most 36500 days before 'days ago', found 99999" },
        { "did order_paid between 2026-06-30 and 2026-06-01", 1, 16, "$.window", "between 2026-06-30 and 2026-06-01 ends before it begins; expected the earlier date first" },
        { "did Order_Paid", 1, 5, "$.event", "'Order_Paid' is not an event type; expected lower-case letters, digits and _, starting with a letter, at most 100 characters" },
        { "did order_paid where amount > 'lots'", 1, 31, "$.where.value", "expected a number for order_paid.amount, found the string 'lots'" },
        { "did order_paid where category before 5", 1, 31, "$.where.operator", "'before' does not apply to order_paid.category, which is a string; expected =, !=, in, not in, contains, is null, is not null" },
        { "did wishlist_viewed where colour contains 5", 1, 43, "$.where.value", "expected a string in single quotes after 'contains' for colour, found the number 5" },
        { "sum(order_paid.category) >= 5", 1, 16, "$.property", "sum needs a number; order_paid.category is a string" },
        { "in segment ''", 1, 12, "$.segment", "expected a segment key, found an empty string" },
        { "has tag ' '", 1, 9, "$.tag", "expected a tag name, found an empty string" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistake_IsReportedAtItsSpotAndPath(string text, int line, int column, string path, string message)
    {
        var error = Assert.Single(Check(text));

        Assert.Equal((line, column, path, message), (error.Line!.Value, error.Column!.Value, error.Path!, error.Message));
    }

    [Fact]
    public void EveryMistake_IsReported_NotOnlyTheFirst()
    {
        var errors = Check("lifecycle = 'sleeping' and (foo = 1 or did order_paid at least 0 times)");

        Assert.Equal(["$.conditions[0].value", "$.conditions[1].conditions[0].attribute", "$.conditions[1].conditions[1].frequency.times"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void AFilterEndedByAnd_GetsAHintAboutParentheses()
    {
        // 'and' after a lone where comparison joins conditions, so category is read as a customer attribute.
        var error = Assert.Single(Check("did order_paid where amount > 100 and category = 'baby'"));

        Assert.Equal((1, 39, "$.conditions[1].attribute"), (error.Line, error.Column, error.Path));
        Assert.EndsWith(
            "category is an event property: to filter an event on several properties, put them in parentheses, as in where (category = 'baby' and amount > 100)",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("did wishlist_viewed at least 3 times in last 14 days where colour = 'red'")]
    [InlineData("did order_paid where gift_wrap = true")]
    [InlineData("did order_paid where ((category = 'baby' or category contains 'toys') and amount >= 99.90)")]
    [InlineData("avg(review_submitted.rating) in last 365 days < 3")]
    [InlineData("count(order_refunded) between 2026-01-01 and 2026-01-01 >= 1")]
    [InlineData("sum(order_paid.amount where coupon is not null) > 0")]
    [InlineData("last_seen_at after 30 days ago and registered_at < 2026-01-01T00:00:00+08:00")]
    [InlineData("birthday >= 1990-01-01 and gender = 'female' and city not in ('北京')")]
    [InlineData("coupon_use_rate >= 0.5 or rfm_group in ('at_risk', 'cant_lose')")]
    public void SoundCondition_HasNoErrors(string text)
    {
        Assert.Empty(Check(text));
    }

    [Fact]
    public void Catalogue_CanBeExtendedWithAttributesOfEveryType()
    {
        var catalogue = SegmentCatalogue.Default.With(
        [
            new AttributeDefinition("subscribed", AttributeType.Flag, "Accepts marketing messages."),
            AttributeDefinition.OneOf("lifecycle", "Lifecycle with a stage of the workspace's own.", "new", "active", "vip"),
        ]);

        Assert.Empty(Check("subscribed = true and lifecycle = 'vip'", catalogue));
        Assert.Equal("expected true or false for subscribed, found the string 'yes'", Assert.Single(Check("subscribed = 'yes'", catalogue)).Message);
        Assert.Single(Check("lifecycle = 'vip'"));
    }

    [Fact]
    public void NamesAndValues_MayBeChinese()
    {
        var catalogue = SegmentCatalogue.Default.With([new AttributeDefinition("会员等级", AttributeType.Text, "A workspace's own attribute.")]);

        Assert.Empty(Check("会员等级 = '金卡' and has tag '高价值' and did order_paid where category = '母婴'", catalogue));
    }

    [Fact]
    public void JsonMistakes_AreReportedByPathAlone()
    {
        var error = Assert.Single(SegmentChecker.Check(SegmentJson.Read("""{"kind":"attribute","attribute":"orders_count","operator":">=","value":"2"}"""), SegmentCatalogue.Default));

        Assert.Equal((null, null, "$.value"), (error.Line, error.Column, error.Path));
        Assert.Equal("$.value: expected a number for orders_count, found the string '2'", error.ToString());
    }

    [Fact]
    public void ReadText_ThrowsWithEveryError()
    {
        var e = Assert.Throws<SegmentLanguageException>(() => SegmentChecker.ReadText("foo = 1 and bar = 2", SegmentCatalogue.Default));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("line 1, column 13: unknown attribute 'bar'", e.Message, StringComparison.Ordinal);
    }
}
