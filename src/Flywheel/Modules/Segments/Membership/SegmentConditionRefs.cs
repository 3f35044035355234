using Flywheel.Modules.Segments.Language;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>What a segment's condition refers to besides attributes and events.</summary>
internal static class SegmentConditionRefs
{
    public static IEnumerable<string> SegmentsNamed(Condition condition) => condition switch
    {
        InSegmentCondition s => [s.SegmentKey],
        AndCondition and => and.Conditions.SelectMany(SegmentsNamed),
        OrCondition or => or.Conditions.SelectMany(SegmentsNamed),
        NotCondition not => SegmentsNamed(not.Condition),
        _ => [],
    };

    public static IEnumerable<string> TagsNamed(Condition condition) => condition switch
    {
        HasTagCondition t => [t.Tag],
        AndCondition and => and.Conditions.SelectMany(TagsNamed),
        OrCondition or => or.Conditions.SelectMany(TagsNamed),
        NotCondition not => TagsNamed(not.Condition),
        _ => [],
    };

    /// <summary>The numbers an event or aggregate condition compares with (frequencies aside).</summary>
    public static IEnumerable<decimal> EventNumbers(Condition condition) => condition switch
    {
        AggregateCondition a => a.Where is null ? [a.Value] : FilterNumbers(a.Where).Append(a.Value),
        EventCondition e => e.Where is null ? [] : FilterNumbers(e.Where),
        AndCondition and => and.Conditions.SelectMany(EventNumbers),
        OrCondition or => or.Conditions.SelectMany(EventNumbers),
        NotCondition not => EventNumbers(not.Condition),
        _ => [],
    };

    private static IEnumerable<decimal> FilterNumbers(EventFilter filter) => filter switch
    {
        PropertyComparison p => p.Comparison.Values.OfType<NumberLiteral>().Select(n => n.Value),
        AndFilter and => and.Filters.SelectMany(FilterNumbers),
        OrFilter or => or.Filters.SelectMany(FilterNumbers),
        _ => [],
    };

    /// <summary>Whether the condition reads RFM scores, which change when the workspace is rescored rather than with events.</summary>
    public static bool ReadsRfm(Condition condition) => condition switch
    {
        AttributeCondition a => a.Attribute is "rfm_group" or "r_score" or "f_score" or "m_score",
        AndCondition and => and.Conditions.Any(ReadsRfm),
        OrCondition or => or.Conditions.Any(ReadsRfm),
        NotCondition not => ReadsRfm(not.Condition),
        _ => false,
    };
}
