namespace Flywheel.Modules.Promotions;

/// <summary>Settings of the promotions module, bound from the configuration section "Promotions".</summary>
public sealed class PromotionsOptions
{
    public const string Section = "Promotions";

    /// <summary>How long a checkout reservation holds coupons, usage and budget when the request names no TTL.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often expired reservations are looked for and their holds returned.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);
}
