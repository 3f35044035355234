namespace Flywheel.Ui.Pages.Settings;

/// <summary>What the workspace form edits; turned into the API's update request on save.</summary>
public sealed class WorkspaceForm
{
    public string? Name { get; set; }
    public string? Currency { get; set; }
    public string? TimeZone { get; set; }
    public string? Locale { get; set; }

    public Flywheel.Modules.Workspaces.WorkspaceSettings.UpdateRequest ToRequest() => new(Name, Currency, TimeZone, Locale);
}
