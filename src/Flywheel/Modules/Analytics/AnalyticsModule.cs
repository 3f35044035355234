using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Modules.Analytics.Dashboard;
using Flywheel.Modules.Analytics.Funnels;
using Flywheel.Modules.Analytics.Insights;
using Flywheel.Modules.Analytics.Overview;
using Flywheel.Modules.Analytics.Reports;
using Flywheel.Modules.Analytics.Retention;

namespace Flywheel.Modules.Analytics;

/// <summary>Analytics: KPIs over orders, customers and events, by local day of the workspace time zone.</summary>
public static class AnalyticsModule
{
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        // A singleton that opens its own state-store context per call, so that server-rendered console pages can use
        // it as well as the API.
        builder.Services.AddSingleton<OverviewQuery>();
        builder.Services.AddSingleton<OrderAttributionQuery>();
        builder.Services.AddSingleton<FunnelQuery>();
        builder.Services.AddSingleton<RetentionQuery>();
        builder.Services.AddSingleton<DashboardQuery>();
        builder.Services.AddSingleton<InsightsQuery>();
        builder.Services.AddSingleton<ReportMaker>();
        builder.Services.AddSingleton<ReportDelivery>();
        builder.Services.AddSingleton<ReportRunner>();
        builder.Services.AddHttpClient(ReportDelivery.HttpClientName);
        builder.Services.AddSingleton<ReportScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportScheduler>());
        return builder;
    }

    public static WebApplication MapAnalytics(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Analytics");
        GetOverview.Map(api);
        AttributionApi.Map(api);
        FunnelApi.Map(api);
        RetentionApi.Map(api);
        DashboardApi.Map(api);
        InsightsApi.Map(api);
        var reports = app.MapGroup("/api/v1").WithTags("Reports");
        ListSubscriptions.Map(reports);
        CreateSubscription.Map(reports);
        UpdateSubscription.Map(reports);
        DeleteSubscription.Map(reports);
        RunReportNow.Map(reports);
        ReportRunsApi.Map(reports);
        return app;
    }
}
