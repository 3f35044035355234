namespace Flywheel.Modules.Workspaces;

/// <summary>Workspaces, console users and roles, API keys, the audit log.</summary>
public static class WorkspacesModule
{
    public static WebApplicationBuilder AddWorkspaces(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Bootstrap>();
        return builder;
    }

    public static WebApplication MapWorkspaces(this WebApplication app) => app;
}
