using Flywheel.Modules.Workspaces.Model;

namespace Flywheel.Modules.Workspaces.Access;

/// <summary>Role names as the API spells them ("owner", "admin", ...).</summary>
public static class Roles
{
    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out Role role)
    {
        role = default;
        return text is not null
            && Enum.TryParse(text, ignoreCase: true, out role)
            && Enum.IsDefined(role)
            && !int.TryParse(text, out _);
    }

    public const string Expected = "one of owner, admin, marketer, analyst, viewer";
}
