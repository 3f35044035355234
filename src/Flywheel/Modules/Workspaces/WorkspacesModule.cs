using Flywheel.Modules.Workspaces.Access;
using Flywheel.Platform.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Flywheel.Modules.Workspaces;

/// <summary>Workspaces, console users and roles, API keys, the audit log.</summary>
public static class WorkspacesModule
{
    public static WebApplicationBuilder AddWorkspaces(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Bootstrap>();
        builder.Services.PostConfigure<CookieAuthenticationOptions>(AuthSetup.CookieScheme,
            o => o.Events.OnValidatePrincipal = Sessions.ValidateAsync);
        return builder;
    }

    public static WebApplication MapWorkspaces(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        Sessions.Map(api);
        Users.Map(api);
        Keys.Map(api);
        WorkspaceSettings.Map(api);
        AuditLogApi.Map(api);
        return app;
    }
}
