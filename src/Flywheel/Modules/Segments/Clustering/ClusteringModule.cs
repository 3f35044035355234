namespace Flywheel.Modules.Segments.Clustering;

/// <summary>Customer clustering (聚类分析): k-means over behavioural features, turned into tags on request.</summary>
public static class ClusteringModule
{
    public static WebApplicationBuilder AddClustering(this WebApplicationBuilder builder)
    {
        // A singleton that opens its own state-store context per call, so that console pages can use it as the API does.
        builder.Services.AddSingleton<CustomerClustering>();
        return builder;
    }

    public static WebApplication MapClustering(this WebApplication app)
    {
        ClusteringApi.Map(app.MapGroup("/api/v1").WithTags("Segments"));
        return app;
    }
}
