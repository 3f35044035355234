using Flywheel.Modules.Catalog.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Import;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>A product as a request or a CSV row carries it, before validation. Field names are the API's and the CSV's.</summary>
public sealed record ProductInput(
    string? Sku, string? Name, string? CategoryPath, string? Brand, decimal? Price, decimal? Cost, int? Stock, IReadOnlyList<string>? Tags)
{
    public static readonly string[] Columns = ["sku", "name", "category_path", "brand", "price", "cost", "stock", "tags"];
    public static readonly string[] RequiredColumns = ["sku", "name", "price"];

    public static ProductInput FromJson(JsonInput j) => new(
        j.Text("sku"), j.Text("name"), j.Text("category_path"), j.Text("brand"), j.Number("price"), j.Number("cost"),
        j.WholeNumber("stock"), j.Strings("tags"));

    /// <summary>In CSV, tags are one cell separated by '|'.</summary>
    public static ProductInput FromCsv(CsvRow r) => new(
        r.Text("sku"), r.Text("name"), r.Text("category_path"), r.Text("brand"), r.Number("price"), r.Number("cost"),
        r.WholeNumber("stock"), r.Text("tags")?.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A valid product's values, money in minor units of the workspace currency.</summary>
public sealed record ProductValues(
    string Sku, string Name, string CategoryPath, string? Brand, long PriceMinor, long? CostMinor, int Stock, string Tags);

public static class ProductRules
{
    public const int MaxTagLength = 50;

    /// <summary>Checks every field and returns the values, or null with every problem in <paramref name="errors"/>.</summary>
    public static ProductValues? Validate(ProductInput input, string currency, FieldErrors errors)
    {
        var sku = Fields.Required(input.Sku, "sku", 100, errors);
        if (sku is not null && sku.Contains('/', StringComparison.Ordinal))
        {
            errors.Add("sku", "must not contain '/' (SKUs appear in URLs).");
        }
        var name = Fields.Required(input.Name, "name", 300, errors);
        var category = CategoryPath(Fields.Optional(input.CategoryPath, "category_path", 300, errors), errors);
        var brand = Fields.Optional(input.Brand, "brand", 100, errors);
        if (input.Price is null && !errors.Has("price"))
        {
            errors.Add("price", "is required.");
        }
        var price = Fields.Money(input.Price, currency, "price", errors);
        var cost = Fields.Money(input.Cost, currency, "cost", errors);
        if (input.Stock is < 0)
        {
            errors.Add("stock", "must not be negative.");
        }
        var tags = Tags(input.Tags, errors);
        if (errors.Any)
        {
            return null;
        }
        return new ProductValues(sku!, name!, category ?? "", brand, price!.Value, cost, input.Stock ?? 0, tags);
    }

    /// <summary>Copies values onto a product; false when nothing differed (so re-sending changes nothing, not even UpdatedAt).</summary>
    public static bool Apply(Product p, ProductValues v, DateTimeOffset now)
    {
        if (p.Name == v.Name && p.CategoryPath == v.CategoryPath && p.Brand == v.Brand && p.PriceMinor == v.PriceMinor
            && p.CostMinor == v.CostMinor && p.Stock == v.Stock && p.Tags == v.Tags)
        {
            return false;
        }
        p.Name = v.Name;
        p.CategoryPath = v.CategoryPath;
        p.Brand = v.Brand;
        p.PriceMinor = v.PriceMinor;
        p.CostMinor = v.CostMinor;
        p.Stock = v.Stock;
        p.Tags = v.Tags;
        p.UpdatedAt = now;
        return true;
    }

    public static Product Create(string workspaceId, ProductValues v, DateTimeOffset now)
    {
        var p = new Product { Id = Ids.New("prd"), WorkspaceId = workspaceId, Sku = v.Sku, Name = v.Name, CreatedAt = now };
        Apply(p, v, now);
        p.UpdatedAt = now;
        return p;
    }

    /// <summary>"beauty>skincare > serum" becomes "beauty > skincare > serum"; empty levels are refused.</summary>
    private static string? CategoryPath(string? path, FieldErrors errors)
    {
        if (path is null)
        {
            return null;
        }
        var levels = path.Split('>', StringSplitOptions.TrimEntries);
        if (levels.Any(l => l.Length == 0))
        {
            errors.Add("category_path", "has an empty level; write levels from the root separated by '>' (e.g. 'beauty > skincare').");
            return null;
        }
        return string.Join(" > ", levels);
    }

    private static string Tags(IReadOnlyList<string>? tags, FieldErrors errors)
    {
        if (tags is null)
        {
            return "";
        }
        var clean = new List<string>();
        foreach (var raw in tags)
        {
            var tag = raw.Trim();
            if (tag.Length == 0 || tag.Length > MaxTagLength || tag.Contains(',', StringComparison.Ordinal) || tag.Contains('|', StringComparison.Ordinal))
            {
                errors.Add("tags", $"'{tag}' is not a tag: tags are 1 to {MaxTagLength} characters without ',' or '|'.");
                continue;
            }
            if (!clean.Contains(tag, StringComparer.Ordinal))
            {
                clean.Add(tag);
            }
        }
        var joined = string.Join(',', clean);
        if (joined.Length > 1000)
        {
            errors.Add("tags", "are longer than 1000 characters together.");
        }
        return joined;
    }
}
