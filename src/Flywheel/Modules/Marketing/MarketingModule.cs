using Flywheel.Modules.Marketing.Spend;

namespace Flywheel.Modules.Marketing;

/// <summary>Marketing spend: daily ad and channel figures and the gross margin that efficiency metrics are computed with.</summary>
public static class MarketingModule
{
    public static WebApplication MapMarketing(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Marketing");
        SpendApi.Map(api);
        MarketingSettingsApi.Map(api);
        return app;
    }
}
