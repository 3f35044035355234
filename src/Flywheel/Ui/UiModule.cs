using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Flywheel.Modules.Workspaces.Access;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using MudBlazor.Services;

namespace Flywheel.Ui;

/// <summary>
/// The operator console: Blazor components rendered on the server (interactive over a SignalR circuit), MudBlazor
/// for components and Apache ECharts (through Vizor.ECharts) for charts. Sign-in, sign-out, workspace switch and
/// language switch are plain form posts, because a cookie can only be set on an HTTP response, not over a circuit.
/// </summary>
public static class UiModule
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    public static void AddUi(this WebApplicationBuilder builder)
    {
        // Component libraries' files (MudBlazor, ECharts) are served from where the build put them, also when not
        // published and not in Development; a published app has them in wwwroot and this finds no manifest.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Chinese text goes out as text, not as a numeric character reference per character.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization();
        builder.Services.AddScoped<ConsoleSession>();
    }

    public static void MapUi(this WebApplication app)
    {
        // The console's pages and form posts get the user's language; the API always speaks the invariant culture.
        app.UseWhen(IsConsoleRequest, console => console.UseRequestLocalization(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new WorkspaceLocaleProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        }));
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        var forms = app.MapGroup("/ui").ExcludeFromDescription();
        // The session cookie is SameSite=Lax, so a cross-site form post arrives without it and is refused by
        // RequireAuthorization: that, not a token, is what protects these two posts from other sites.
        forms.MapPost("/logout", LogoutAsync).RequireAuthorization().DisableAntiforgery();
        forms.MapPost("/switch", SwitchAsync).RequireAuthorization().DisableAntiforgery();
        forms.MapGet("/culture", SetCulture);
    }

    private static bool IsConsoleRequest(HttpContext http) =>
        !http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/v1");

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext http, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        await Sessions.LogoutAsync(http, http.User, db, clock, ct);
        return TypedResults.LocalRedirect("~/login");
    }

    private static async Task<RedirectHttpResult> SwitchAsync([FromForm(Name = "workspace_id")] string? workspaceId, [FromForm(Name = "return_url")] string? returnUrl,
        HttpContext http, FlywheelDb db, CancellationToken ct)
    {
        // A failed switch (not a member) leaves the session as it was; the page shows the workspace still in use.
        await Sessions.SwitchAsync(new Sessions.SwitchRequest(workspaceId), http.User, http, db, ct);
        return TypedResults.LocalRedirect(SafeReturn(returnUrl));
    }

    private static RedirectHttpResult SetCulture(string? culture, [FromQuery(Name = "return_url")] string? returnUrl, HttpContext http)
    {
        if (Cultures.Any(c => c.Name == culture))
        {
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
        }
        return TypedResults.LocalRedirect(SafeReturn(returnUrl));
    }

    /// <summary>Only paths of this site: an open redirect would let a link send a signed-in user anywhere.</summary>
    internal static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? "~" + returnUrl
            : "~/";

    /// <summary>Without a language chosen in this browser, a signed-in user sees the workspace's locale.</summary>
    private sealed class WorkspaceLocaleProvider : RequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext http)
        {
            if (http.User.Identity?.IsAuthenticated != true || http.User.UserId() is null)
            {
                return null;
            }
            var db = http.RequestServices.GetRequiredService<FlywheelDb>();
            var workspaceId = http.User.WorkspaceId();
            var locale = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Locale).FirstOrDefaultAsync(http.RequestAborted);
            return locale is null ? null : new ProviderCultureResult(locale);
        }
    }
}
