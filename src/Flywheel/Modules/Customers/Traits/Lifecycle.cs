namespace Flywheel.Modules.Customers.Traits;

/// <summary>Where a customer stands in their relationship with the shop (SPEC §3.3), from their paid orders.</summary>
public enum LifecycleStage
{
    /// <summary>No paid order yet.</summary>
    Prospect,
    /// <summary>One paid order, paid less than <see cref="LifecycleOptions.ActiveDays"/> ago.</summary>
    New,
    /// <summary>Two or more paid orders, the last less than <see cref="LifecycleOptions.ActiveDays"/> ago.</summary>
    Active,
    /// <summary>The last paid order between <see cref="LifecycleOptions.ActiveDays"/> and <see cref="LifecycleOptions.LostDays"/> ago.</summary>
    Dormant,
    /// <summary>The last paid order <see cref="LifecycleOptions.LostDays"/> or more ago.</summary>
    Lost,
    /// <summary>Ordered again after being dormant or lost, less than <see cref="LifecycleOptions.ActiveDays"/> ago.</summary>
    WonBack,
}

/// <summary>The thresholds of the stages, per workspace; the defaults are SPEC §3.3's.</summary>
public sealed record LifecycleOptions(int ActiveDays = 30, int LostDays = 90)
{
    public static readonly LifecycleOptions Default = new();
}

/// <summary>A stage, since when it holds, and when it will change if the customer does nothing.</summary>
public sealed record LifecycleStatus(LifecycleStage Stage, DateTimeOffset? Since, DateTimeOffset? ChangesAt);

/// <summary>
/// The stage rules as one pure function of the payment times and the moment asked about. Ages are exact durations, not
/// calendar days: a customer whose last order was paid at 20:15 turns dormant at 20:15 thirty days later (the moment
/// the 30th day has passed), which is the moment a per-customer timer (<see cref="LifecycleStatus.ChangesAt"/>) can
/// fire. Each stage holds from its boundary included to the next boundary excluded.
/// </summary>
public static class Lifecycle
{
    /// <param name="paidAtAscending">Payment times of the customer's paid orders, oldest first; later ones than
    /// <paramref name="now"/> are not counted.</param>
    /// <param name="now">The moment the stage is asked for.</param>
    /// <param name="options">The workspace's thresholds.</param>
    public static LifecycleStatus Of(IReadOnlyList<DateTimeOffset> paidAtAscending, DateTimeOffset now, LifecycleOptions options)
    {
        var paid = paidAtAscending.Where(t => t <= now).ToList();
        if (paid.Count == 0)
        {
            return new LifecycleStatus(LifecycleStage.Prospect, null, null);
        }
        var active = TimeSpan.FromDays(options.ActiveDays);
        var lost = TimeSpan.FromDays(options.LostDays);
        var last = paid[^1];
        var age = now - last;
        if (age >= lost)
        {
            return new LifecycleStatus(LifecycleStage.Lost, last + lost, null);
        }
        if (age >= active)
        {
            return new LifecycleStatus(LifecycleStage.Dormant, last + active, last + lost);
        }
        // Back after a gap that made them dormant (or lost): the previous payment was at least ActiveDays before this one.
        var stage = paid.Count == 1 ? LifecycleStage.New
            : last - paid[^2] >= active ? LifecycleStage.WonBack
            : LifecycleStage.Active;
        return new LifecycleStatus(stage, last, last + active);
    }

    /// <summary>The stage's name in the API and the segment language.</summary>
    public static string Name(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Prospect => "prospect",
        LifecycleStage.New => "new",
        LifecycleStage.Active => "active",
        LifecycleStage.Dormant => "dormant",
        LifecycleStage.Lost => "lost",
        LifecycleStage.WonBack => "won_back",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };
}
