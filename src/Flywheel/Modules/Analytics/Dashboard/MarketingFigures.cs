namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// A bucket's spend data and what the orders credited to the channels with spend brought in. Conversions and new paying
/// customers may be fractional under a multi-touch model.
/// </summary>
public sealed record MarketingFigures(
    long SpendMinor, long Impressions, long Clicks, decimal Conversions, decimal Revenue, decimal NewPayingCustomers, decimal? GrossMargin);
