using System.Security.Claims;
using Flywheel.Modules.Catalog.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>
/// POST /api/v1/products (creates or updates by SKU) and PUT /api/v1/products/{sku}. The request is the whole
/// product: fields left out are cleared. 201 when created, 200 when updated or unchanged.
/// </summary>
public static class UpsertProduct
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/products", PostAsync).RequireAuthorization(Scopes.CatalogWrite).WithIdempotency()
            .WithName("UpsertProduct").WithSummary("Create or update a product by SKU");
        group.MapPut("/products/{sku}", PutAsync).RequireAuthorization(Scopes.CatalogWrite)
            .WithName("PutProduct").WithSummary("Create or replace the product with this SKU");
    }

    public static Task<Results<Created<ProductView>, Ok<ProductView>, ValidationProblem>> PostAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(null, request, caller, db, clock, ct);

    public static Task<Results<Created<ProductView>, Ok<ProductView>, ValidationProblem>> PutAsync(
        string sku, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(sku, request, caller, db, clock, ct);

    private static async Task<Results<Created<ProductView>, Ok<ProductView>, ValidationProblem>> HandleAsync(
        string? routeSku, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = ProductInput.FromJson(new JsonInput(document.RootElement, errors));
        if (routeSku is not null)
        {
            if (input.Sku is not null && input.Sku != routeSku)
            {
                errors.Add("sku", $"'{input.Sku}' differs from the SKU in the URL ('{routeSku}').");
            }
            input = input with { Sku = routeSku };
        }
        var settings = await WorkspaceSettings.LoadAsync(db, caller.WorkspaceId(), ct);
        var values = ProductRules.Validate(input, settings.Currency, errors);
        if (values is null || errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (product, created) = await SaveAsync(db, caller, values, settings.Currency, clock.GetUtcNow(), ct);
                var view = ProductView.From(product, settings.Currency);
                return created
                    ? TypedResults.Created($"/api/v1/products/{Uri.EscapeDataString(product.Sku)}", view)
                    : TypedResults.Ok(view);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Another request created the same SKU between our read and our insert: read it again and update it.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<(Product Product, bool Created)> SaveAsync(
        FlywheelDb db, ClaimsPrincipal caller, ProductValues values, string currency, DateTimeOffset now, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var product = await db.Products.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Sku == values.Sku, ct);
        if (product is null)
        {
            product = ProductRules.Create(workspaceId, values, now);
            db.Products.Add(product);
            db.Record(caller, now, "created", "product", product.Sku, after: ProductView.From(product, currency));
            await db.SaveChangesAsync(ct);
            return (product, true);
        }
        var before = ProductView.From(product, currency);
        if (ProductRules.Apply(product, values, now))
        {
            db.Record(caller, now, "updated", "product", product.Sku, before, ProductView.From(product, currency));
            await db.SaveChangesAsync(ct);
        }
        return (product, false);
    }
}
