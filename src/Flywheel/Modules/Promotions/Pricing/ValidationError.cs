namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>A definition mistake: the field's path (as in the API's JSON, e.g. "reward.tiers[1].threshold") and why.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
