namespace Flywheel.Modules.Segments.Language;

/// <summary>The <c>where</c> part of an event condition or aggregate: conditions on the event's properties.</summary>
public abstract record EventFilter;

/// <summary>One property of the event compared: <c>category = 'baby'</c>.</summary>
public sealed record PropertyComparison(string Property, Comparison Comparison) : EventFilter;

public sealed record AndFilter : EventFilter
{
    public AndFilter(ValueList<EventFilter> filters) => Filters = Connectives.AtLeastTwo(filters, "and");

    public ValueList<EventFilter> Filters { get; }
}

public sealed record OrFilter : EventFilter
{
    public OrFilter(ValueList<EventFilter> filters) => Filters = Connectives.AtLeastTwo(filters, "or");

    public ValueList<EventFilter> Filters { get; }
}
