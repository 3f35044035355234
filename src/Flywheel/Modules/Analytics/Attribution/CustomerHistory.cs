namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>A visit of one customer through a channel; <paramref name="IsDirect"/> for typed-in and bookmarked visits.</summary>
public sealed record CustomerTouch(string Channel, DateTimeOffset At, bool IsDirect = false);

/// <summary>A paid order of one customer, the conversion that paths lead to.</summary>
public sealed record CustomerOrder(DateTimeOffset At, decimal Value);

/// <summary>How the touches before an order are chosen.</summary>
public sealed record PathWindow
{
    public static readonly TimeSpan DefaultLookback = TimeSpan.FromDays(30);

    public PathWindow(TimeSpan? lookback = null, bool resetAfterConversion = false)
    {
        var window = lookback ?? DefaultLookback;
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lookback), window, "The lookback window must be positive.");
        }
        Lookback = window;
        ResetAfterConversion = resetAfterConversion;
    }

    /// <summary>Touches at most this long before an order belong to its path.</summary>
    public TimeSpan Lookback { get; }

    /// <summary>
    /// When set, a path starts after the customer's previous order: touches that already led to one order do not count
    /// for the next. When not set (the default), a touch within the lookback of two orders is on both paths.
    /// </summary>
    public bool ResetAfterConversion { get; }
}
