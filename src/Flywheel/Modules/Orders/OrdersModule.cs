using Flywheel.Platform.State;
using Flywheel.Modules.Orders.Orders;

namespace Flywheel.Modules.Orders;

/// <summary>Orders with lines, payments and refunds: REST API, CSV import, order events and their projection.</summary>
public static class OrdersModule
{
    public static WebApplicationBuilder AddOrders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OrderEvents>();
        builder.Services.AddSingleton<ImportOrders>();
        // Registered after the ingest pipeline, so it starts once the event store is open.
        builder.Services.AddSingleton<OrderProjection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderProjection>());
        builder.Services.AddSingleton<EventProjection>(sp => sp.GetRequiredService<OrderProjection>());
        return builder;
    }

    public static WebApplication MapOrders(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Orders");
        UpsertOrder.Map(api);
        GetOrder.Map(api);
        ListOrders.Map(api);
        AddRefund.Map(api);
        ImportOrders.Map(api);
        return app;
    }
}
