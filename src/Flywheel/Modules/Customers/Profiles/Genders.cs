namespace Flywheel.Modules.Customers.Profiles;

/// <summary>Gender values as shops send them ("F", "female", "女" ...) mapped to "female", "male" or "other".</summary>
public static class Genders
{
    public static string? Normalise(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "f" or "female" or "woman" or "女" or "女性" => "female",
        "m" or "male" or "man" or "男" or "男性" => "male",
        "other" or "x" or "其他" => "other",
        _ => null,
    };
}
