namespace Flywheel.Modules.Catalog;

/// <summary>Products: REST API and CSV import.</summary>
public static class CatalogModule
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapCatalog(this WebApplication app) => app;
}
