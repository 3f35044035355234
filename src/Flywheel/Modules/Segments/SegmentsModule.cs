using Flywheel.Modules.Segments.Membership;
using Flywheel.Modules.Segments.Segments;

namespace Flywheel.Modules.Segments;

/// <summary>Segments: conditions in the segment language, their members kept current in real time and as time passes.</summary>
public static class SegmentsModule
{
    public static WebApplicationBuilder AddSegments(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SegmentMembership>();
        builder.Services.AddSingleton<SegmentChangePublisher>();
        builder.Services.AddSingleton<SegmentService>();
        builder.Services.AddSingleton<SegmentInsights>();
        builder.Services.AddSingleton<SegmentProjection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SegmentProjection>());
        builder.Services.AddSingleton<SegmentTimers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SegmentTimers>());
        return builder;
    }

    public static WebApplication MapSegments(this WebApplication app)
    {
        SegmentsApi.Map(app.MapGroup("/api/v1").WithTags("Segments"));
        return app;
    }
}
