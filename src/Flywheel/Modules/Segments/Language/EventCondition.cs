namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// The customer has events of a type, counted within a time window and filtered on their properties:
/// <c>did order_paid at least 2 times in last 90 days where category = 'baby'</c>. Without a frequency it is
/// "at least once"; without a window, all of the customer's history.
/// </summary>
public sealed record EventCondition(string EventType, Frequency Frequency, TimeWindow? Window = null, EventFilter? Where = null) : Condition
{
    public EventCondition(string eventType) : this(eventType, Frequency.AtLeastOnce)
    {
    }
}

public enum FrequencyKind
{
    AtLeast,
    AtMost,
    Exactly,
}

/// <summary>How many matching events there must be. <c>at most</c> counts customers with none as well.</summary>
public sealed record Frequency(FrequencyKind Kind, int Times)
{
    public static Frequency AtLeastOnce { get; } = new(FrequencyKind.AtLeast, 1);
}
