namespace Flywheel.Modules.Orders;

/// <summary>Orders with lines, payments and refunds: REST API, CSV import, order events.</summary>
public static class OrdersModule
{
    public static WebApplicationBuilder AddOrders(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapOrders(this WebApplication app) => app;
}
