using Flywheel.Platform.Events;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Turns a visitor's channel-carrying events into marketing touches: one touch per visit, a visit being a run of
/// events from the same channel with no gap longer than <see cref="Timeout"/> (the usual 30-minute web session).
/// A visit's touch is at its first event. Order lifecycle events are not visits (they carry the order's channel) and
/// are left out; a channel named "direct" is a direct visit.
/// </summary>
public static class Sessions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static List<CustomerTouch> Touches(IEnumerable<ChannelEvent> events)
    {
        var touches = new List<CustomerTouch>();
        DateTime? lastAt = null;
        string? lastChannel = null;
        foreach (var e in events.Where(e => !EventTypes.IsOrderEvent(e.Type)).OrderBy(e => e.TimestampUtc))
        {
            if (e.Channel != lastChannel || e.TimestampUtc - lastAt > Timeout)
            {
                touches.Add(new CustomerTouch(e.Channel, new DateTimeOffset(e.TimestampUtc, TimeSpan.Zero),
                    string.Equals(e.Channel, "direct", StringComparison.OrdinalIgnoreCase)));
            }
            (lastAt, lastChannel) = (e.TimestampUtc, e.Channel);
        }
        return touches;
    }
}
