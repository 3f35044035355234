using Flywheel.Platform.Events;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Turns a visitor's events into marketing touches, one per visit, the way web analytics counts sessions: a visit is a
/// run of events with no gap longer than <see cref="Timeout"/>, and an event carrying another campaign source than the
/// visit's starts a new one. A visit's channel is the UTM source of its first event, or <see cref="Direct"/> when it
/// has none (typed in, bookmarked, or arriving untagged); the touch is at the visit's first event.
/// </summary>
public static class Visits
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <summary>The channel of a visit without a campaign source; the one last non-direct skips.</summary>
    public const string Direct = "direct";

    public static List<CustomerTouch> Touches(IEnumerable<LeanEvent> events)
    {
        var touches = new List<CustomerTouch>();
        DateTime? lastAt = null;
        string? source = null;
        // Stable: events at one instant keep the store's sequence order.
        foreach (var e in events.Where(e => !EventTypes.IsOrderEvent(e.Type)).OrderBy(e => e.TimestampUtc))
        {
            var tagged = string.IsNullOrEmpty(e.UtmSource) ? null : e.UtmSource;
            if (lastAt is null || e.TimestampUtc - lastAt > Timeout || (tagged is not null && tagged != source))
            {
                source = tagged;
                var channel = tagged ?? Direct;
                touches.Add(new CustomerTouch(channel, new DateTimeOffset(e.TimestampUtc, TimeSpan.Zero), channel == Direct));
            }
            lastAt = e.TimestampUtc;
        }
        return touches;
    }
}
