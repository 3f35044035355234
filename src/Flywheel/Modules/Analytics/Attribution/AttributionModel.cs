namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>The attribution models of the engine; docs/attribution.md defines each with a worked example.</summary>
public enum AttributionModel
{
    FirstTouch,
    LastTouch,
    LastNonDirect,
    Linear,
    TimeDecay,
    PositionBased,
    Markov,
    Shapley,
}
