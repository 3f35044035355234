using Flywheel.Platform.State;
using Flywheel.Modules.Customers.Events;
using Flywheel.Modules.Customers.Ingestion;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Customers.Rfm;
using Flywheel.Modules.Customers.Tags;
using Flywheel.Modules.Customers.Traits;
using Flywheel.Modules.Customers.Tracking;

namespace Flywheel.Modules.Customers;

/// <summary>Customer data: event ingestion, event reads, profiles, the tag catalogue.</summary>
public static class CustomersModule
{
    public static WebApplicationBuilder AddCustomers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProfileProjection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProfileProjection>());
        builder.Services.AddSingleton<EventProjection>(sp => sp.GetRequiredService<ProfileProjection>());
        builder.Services.AddSingleton<ImportCustomers>();
        builder.Services.AddSingleton<RfmScoringRun>();
        builder.Services.AddHostedService<RfmDailyScoring>();
        return builder;
    }

    public static WebApplication MapCustomers(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Events");
        IngestBatch.Map(api);
        EventReads.Map(api);
        SegmentApi.Map(app);
        TrackingScript.Map(app);
        var profiles = app.MapGroup("/api/v1").WithTags("Customers");
        UpsertCustomer.Map(profiles);
        GetCustomer.Map(profiles);
        GetCustomerTraits.Map(profiles);
        RfmApi.Map(profiles);
        GetLifecycleOverview.Map(profiles);
        ListCustomers.Map(profiles);
        DeleteCustomer.Map(profiles);
        ImportCustomers.Map(profiles);
        var tags = app.MapGroup("/api/v1").WithTags("Tags");
        ListTags.Map(tags);
        CreateTag.Map(tags);
        GetTag.Map(tags);
        UpdateTag.Map(tags);
        DeleteTag.Map(tags);
        TagCustomers.Map(tags);
        ListTagMembers.Map(tags);
        ImportTagMembers.Map(tags);
        GetCustomerTags.Map(tags);
        return app;
    }
}
