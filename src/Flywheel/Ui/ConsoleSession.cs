using System.Globalization;
using System.Security.Claims;
using Flywheel.Modules.Workspaces.Access;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Ui;

/// <summary>
/// Who is using the console and in which workspace, with the workspace's currency and time zone that every amount
/// and date on screen is shown in. One per circuit (a browser tab), loaded once by the layout.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider auth, StateStore state)
{
    public ClaimsPrincipal User { get; private set; } = new();
    public string WorkspaceId { get; private set; } = "";
    public string WorkspaceName { get; private set; } = "";
    public string Currency { get; private set; } = "CNY";
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public string UserName { get; private set; } = "";
    public string Role { get; private set; } = "";
    public IReadOnlyList<Sessions.WorkspaceSummary> Workspaces { get; private set; } = [];
    public bool Loaded { get; private set; }

    public async Task LoadAsync(CancellationToken ct = default)
    {
        if (Loaded)
        {
            return;
        }
        User = (await auth.GetAuthenticationStateAsync()).User;
        await using var db = state.Open();
        var (user, membership) = await Sessions.CurrentUserAsync(User, db, ct);
        if (user is null || membership is null)
        {
            return;
        }
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == membership.WorkspaceId, ct);
        WorkspaceId = workspace.Id;
        WorkspaceName = workspace.Name;
        Currency = workspace.Currency;
        Zone = Instants.Zone(workspace.TimeZone);
        UserName = string.IsNullOrEmpty(user.DisplayName) ? user.Email : user.DisplayName;
        Role = Roles.Name(membership.Role);
        Workspaces = await (
            from m in db.Memberships
            join w in db.Workspaces on m.WorkspaceId equals w.Id
            where m.UserId == user.Id
            orderby w.Name
            select new Sessions.WorkspaceSummary(w.Id, w.Name, m.Role.ToString())).ToListAsync(ct);
        Loaded = true;
    }

    public bool Can(string scope) => User.HasScope(scope);

    /// <summary>The workspace's local date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>Today in the workspace's time zone.</summary>
    public DateOnly Today(TimeProvider clock) => LocalDate(clock.GetUtcNow());

    /// <summary>An instant as the workspace's local date and time, e.g. 2026-11-11 20:05.</summary>
    public string Format(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>An amount in minor units with the currency's symbol and scale, grouped as the reader's culture groups digits.</summary>
    public string Money(long minor) => MoneyText.Format(minor, Currency, CultureInfo.CurrentCulture);

    public string Money(decimal major) => MoneyText.Format(major, Currency, CultureInfo.CurrentCulture);

    /// <summary>An amount in a currency of its own, such as an order placed in another currency than the workspace's.</summary>
    public string Money(decimal major, string currency) => MoneyText.Format(major, currency, CultureInfo.CurrentCulture);
}
