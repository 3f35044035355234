using Flywheel.Modules.Segments.Language;

namespace Flywheel.Tests.Modules.Segments.Language;

public sealed class JsonFormTests
{
    [Fact]
    public void EventCondition_IsWrittenWithAKindOnEveryNode()
    {
        var condition = SegmentText.Parse("did order_paid at least 2 times in last 90 days where category = 'baby'");

        // The shape docs/segments.md shows.
        Assert.Equal(
            """{"kind":"event","event":"order_paid","frequency":{"kind":"at_least","times":2},"window":{"kind":"last_days","days":90},"where":{"kind":"property","property":"category","operator":"=","value":"baby"}}""",
            SegmentJson.Write(condition));
    }

    [Fact]
    public void Values_KeepTheirTypes_AndChineseStaysReadable()
    {
        var condition = SegmentText.Parse("city in ('上海', '杭州') and total_spend > 1000.50 and last_order_at before 2026-06-01 and last_seen_at after 7 days ago");

        Assert.Equal(
            """{"kind":"and","conditions":[{"kind":"attribute","attribute":"city","operator":"in","values":["上海","杭州"]},{"kind":"attribute","attribute":"total_spend","operator":">","value":1000.50},{"kind":"attribute","attribute":"last_order_at","operator":"before","value":{"date":"2026-06-01"}},{"kind":"attribute","attribute":"last_seen_at","operator":"after","value":{"days_ago":7}}]}""",
            SegmentJson.Write(condition));
    }

    [Fact]
    public void Aggregate_And_Membership_RoundTrip()
    {
        var condition = SegmentText.Parse(
            "not (sum(order_paid.amount where category = 'baby') between 2026-01-01 and 2026-03-31 >= 500 or in segment 'high-value') and has tag 'VIP' and last_order_at > 2026-06-01T08:30:00+08:00");

        Assert.Equal(condition, SegmentJson.Read(SegmentJson.Write(condition, indented: true)));
    }

    [Fact]
    public void Numbers_AreReadExactly()
    {
        var condition = SegmentJson.Read("""{"kind":"attribute","attribute":"total_spend","operator":"=","value":0.1000000000000000055511151231257827}""");

        // A double would have made this 0.1; the decimal keeps the digits that fit its 28–29.
        Assert.Equal(0.1000000000000000055511151231m, Assert.IsType<NumberLiteral>(((AttributeCondition)condition).Comparison.Value).Value);
    }

    [Fact]
    public void MissingFrequency_MeansAtLeastOnce()
    {
        Assert.Equal(new EventCondition("sign_in"), SegmentJson.Read("""{"kind":"event","event":"sign_in"}"""));
    }

    public static TheoryData<string, string, string> BadJson => new()
    {
        { """[1, 2]""", "$", "expected an object with a 'kind', found a list" },
        { """{"kind":"attr"}""", "$.kind", "expected one of and, or, not, attribute, event, aggregate, segment, tag, found 'attr'" },
        { """{"attribute":"city"}""", "$", "expected a field 'kind'" },
        { """{"kind":"attribute","attribute":"city","opertor":"="}""", "$.opertor", "unknown field 'opertor'; expected kind, attribute, operator, value, values" },
        { """{"kind":"attribute","attribute":"city","operator":"~","value":"x"}""", "$.operator", "expected one of =, !=, >, >=, <, <=, in, not in, contains, is null, is not null, before, after, found '~'" },
        { """{"kind":"attribute","attribute":"city","operator":"in","value":"x"}""", "$.value", "expected 'values', a list, with 'in'" },
        { """{"kind":"attribute","attribute":"city","operator":"in","values":[]}""", "$.values", "expected at least one value" },
        { """{"kind":"attribute","attribute":"city","operator":"=","value":null}""", "$", "expected a field 'value'" },
        { """{"kind":"attribute","attribute":"city","operator":"=","value":[1]}""", "$.value", "expected a string, a number, true, false or a date object, found a list" },
        { """{"kind":"attribute","attribute":"city","operator":"is null","value":"x"}""", "$", "expected no 'value' with 'is null'" },
        { """{"kind":"attribute","attribute":7,"operator":"=","value":"x"}""", "$.attribute", "expected a string, found the number 7" },
        { """{"kind":"attribute","attribute":"birthday","operator":"=","value":{"date":"2026-02-30"}}""", "$.value.date", "expected a date as YYYY-MM-DD, found '2026-02-30'" },
        { """{"kind":"attribute","attribute":"last_order_at","operator":">","value":{"datetime":"2026-06-01T08:00:00"}}""", "$.value.datetime", "expected a date-time with its offset (2026-06-01T08:00:00+08:00), found '2026-06-01T08:00:00'" },
        { """{"kind":"attribute","attribute":"x","operator":"=","value":{"when":"today"}}""", "$.value", "expected a value object with exactly one of 'date', 'datetime', 'days_ago'" },
        { """{"kind":"and","conditions":[{"kind":"tag","tag":"VIP"}]}""", "$.conditions", "expected at least two conditions in a group, found 1; a single condition is written without the group" },
        { """{"kind":"not"}""", "$", "expected a field 'condition'" },
        { """{"kind":"event","event":"order_paid","frequency":{"kind":"at_least","times":2.5}}""", "$.frequency.times", "expected a whole number, found the number 2.5" },
        { """{"kind":"event","event":"order_paid","window":{"kind":"last_weeks","weeks":2}}""", "$.window.kind", "expected one of last_days, between, found 'last_weeks'" },
        { """{"kind":"aggregate","function":"median","event":"order_paid","property":"amount","operator":">","value":1}""", "$.function", "expected one of sum, avg, min, max, count, found 'median'" },
        { """{"kind":"aggregate","function":"sum","event":"order_paid","operator":">","value":1}""", "$", "expected a 'property' to sum" },
        { """{"kind":"aggregate","function":"sum","event":"order_paid","property":"amount","operator":"in","value":1}""", "$.operator", "expected one of =, !=, >, >=, <, <= for an aggregate, found 'in'" },
        { """{"kind":"aggregate","function":"sum","event":"order_paid","property":"amount","operator":">","value":"500"}""", "$.value", "expected a number, found the string \"500\"" },
        { """{"kind":"event","event":"order_paid","where":{"kind":"not","condition":{}}}""", "$.where.kind", "expected one of and, or, property, found 'not'" },
    };

    [Theory]
    [MemberData(nameof(BadJson))]
    public void BadJson_GetsAnErrorAtItsPath(string json, string path, string message)
    {
        var error = Assert.Single(Assert.Throws<SegmentLanguageException>(() => SegmentJson.Read(json)).Errors);

        Assert.Equal((path, message), (error.Path, error.Message));
    }

    [Fact]
    public void MalformedJson_GetsLineAndColumn()
    {
        var error = Assert.Throws<SegmentLanguageException>(() => SegmentJson.Read("{\n  \"kind\": \"tag\",\n  \"tag\": 'VIP'\n}")).Errors[0];

        Assert.Equal((3, 10), (error.Line, error.Column));
        Assert.StartsWith("expected valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepJson_IsRefusedWithTheLimit()
    {
        var json = """{"kind":"tag","tag":"a"}""";
        for (var i = 0; i < 40; i++)
        {
            json = $$"""{"kind":"not","condition":{{json}}}""";
        }

        var error = Assert.Throws<SegmentLanguageException>(() => SegmentJson.Read(json)).Errors[0];

        Assert.Equal("the condition is nested too deeply; expected at most 32 levels of groups and 'not'", error.Message);
    }

    [Fact]
    public void VeryDeepJson_IsRefusedBeforeItIsWalked()
    {
        var json = string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000));

        var error = Assert.Throws<SegmentLanguageException>(() => SegmentJson.Read(json)).Errors[0];

        Assert.StartsWith("expected valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadJson_ChecksAgainstTheCatalogue()
    {
        var e = Assert.Throws<SegmentLanguageException>(() => SegmentChecker.ReadJson(
            """{"kind":"or","conditions":[{"kind":"attribute","attribute":"lifecycle","operator":"=","value":"sleeping"},{"kind":"tag","tag":"VIP"}]}""",
            SegmentCatalogue.Default));

        Assert.Equal("$.conditions[0].value", Assert.Single(e.Errors).Path);
    }
}
