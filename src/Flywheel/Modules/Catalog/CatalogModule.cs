using Flywheel.Modules.Catalog.Products;

namespace Flywheel.Modules.Catalog;

/// <summary>Products: REST API and CSV import.</summary>
public static class CatalogModule
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportProducts>();
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Catalog");
        UpsertProduct.Map(api);
        GetProduct.Map(api);
        ListProducts.Map(api);
        DeleteProduct.Map(api);
        ImportProducts.Map(api);
        return app;
    }
}
