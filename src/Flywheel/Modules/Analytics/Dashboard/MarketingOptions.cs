using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// How the marketing group credits orders to channels: a model that credits each order on its own (so that buckets add
/// up to the period), and the gross margin ROI uses (null: the workspace's own, from the marketing settings).
/// </summary>
public sealed record MarketingOptions(AttributionModel Model, decimal? GrossMargin)
{
    public static readonly MarketingOptions Default = new(AttributionModel.LastNonDirect, null);

    /// <summary>
    /// The models the dashboard offers. Markov and Shapley share credit out over all paths together, so a bucket's credit
    /// would depend on the other buckets' paths; they are on the attribution page.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, AttributionModel> Models = new[]
    {
        AttributionModel.LastNonDirect, AttributionModel.LastTouch, AttributionModel.FirstTouch, AttributionModel.Linear,
        AttributionModel.TimeDecay, AttributionModel.PositionBased,
    }.ToDictionary(AttributionApi.Name, m => m);

    /// <summary>How far back a touch may be from the order it is credited with, as on the attribution page by default.</summary>
    public const int LookbackDays = 30;
}
