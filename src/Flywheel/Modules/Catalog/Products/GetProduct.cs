using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>GET /api/v1/products/{sku}.</summary>
public static class GetProduct
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/products/{sku}", HandleAsync).RequireAuthorization(Scopes.CatalogRead)
            .WithName("GetProduct").WithSummary("A product by SKU");

    public static async Task<Results<Ok<ProductView>, ProblemHttpResult>> HandleAsync(
        string sku, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Sku == sku, ct);
        if (product is null)
        {
            return Problems.NotFound($"There is no product with SKU '{sku}'.");
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(ProductView.From(product, settings.Currency));
    }
}
