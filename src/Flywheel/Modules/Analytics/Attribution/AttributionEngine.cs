namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Shares the conversions and value of a set of paths among their channels by one model. Pure: the paths in, the
/// credits out. Every model's conversions add up to the paths' total conversions and its values exactly to their total
/// value; the result does not depend on the order of the paths.
/// </summary>
public static class AttributionEngine
{
    /// <exception cref="AttributionInputException">The paths cannot be used by this model (time decay without
    /// timestamps, Shapley with too many channels).</exception>
    public static ModelAttribution Run(AttributionModel model, IReadOnlyList<ConversionPath> paths, AttributionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        settings ??= new AttributionSettings();
        return model switch
        {
            AttributionModel.FirstTouch => PathByPath.Run(model, paths, SingleTouchModels.FirstTouch),
            AttributionModel.LastTouch => PathByPath.Run(model, paths, SingleTouchModels.LastTouch),
            AttributionModel.LastNonDirect => PathByPath.Run(model, paths, SingleTouchModels.LastNonDirect),
            AttributionModel.Linear => PathByPath.Run(model, paths, LinearModel.Shares),
            AttributionModel.TimeDecay => PathByPath.Run(model, paths, TimeDecayModel.Shares(settings.TimeDecayHalfLife)),
            AttributionModel.PositionBased => PathByPath.Run(model, paths, PositionBasedModel.Shares),
            AttributionModel.Markov => MarkovModel.Run(paths),
            AttributionModel.Shapley => ShapleyModel.Run(paths),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown attribution model."),
        };
    }
}
