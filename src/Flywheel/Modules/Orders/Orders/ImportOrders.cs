using Flywheel.Modules.Orders.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>
/// Orders from CSV, one row per order line with the order's fields repeated on each of its rows (they may also be left
/// empty after the first row). An order is imported whole or not at all: an error on any of its rows rejects all of
/// them. Orders are upserted by order_id in one transaction; their events are emitted after it commits.
/// Used by POST /api/v1/imports/orders and `flywheel import orders`.
/// </summary>
public sealed class ImportOrders(StateStore state, OrderEvents events, TimeProvider clock) : ICsvImport
{
    public const string Kind = "orders";

    public static readonly string[] OrderColumns =
        ["order_id", "customer_id", "status", "currency", "placed_at", "paid_at", "discount", "shipping", "total", "coupon", "channel", "payment_method"];

    /// <summary>Line columns; <c>line_discount</c> is the API's <c>lines[].discount</c>.</summary>
    public static readonly string[] LineColumns = ["sku", "name", "category", "brand", "quantity", "price", "line_discount"];

    public static readonly string[] RequiredColumns = ["order_id", "customer_id", "placed_at", "total", "sku", "quantity", "price"];

    private readonly CsvImporter<OrderValues, Order> importer = new()
    {
        Kind = Kind,
        EntityType = "order",
        Columns = [.. OrderColumns, .. LineColumns],
        RequiredColumns = RequiredColumns,
        Check = (file, settings, _, errors) => CheckOrders(file, settings, errors),
        KeyOf = v => v.OrderId,
        EntityKey = o => o.ExternalId,
        Load = (db, workspaceId, ids, ct) => db.Orders.Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery()
            .Where(o => o.WorkspaceId == workspaceId && ids.Contains(o.ExternalId)).ToListAsync(ct),
        Create = (workspaceId, v, now) => OrderRules.Create(workspaceId, v, "import", now),
        CheckUpdate = OrderRules.CheckUpdate,
        Apply = OrderRules.Apply,
        // Events go out only once the orders they describe are committed.
        Committed = events.EmitAsync,
    };

    public static void Map(RouteGroupBuilder group) =>
        group.MapCsvImport<ImportOrders>(Kind, Scopes.OrdersWrite)
            .WithName("ImportOrders").WithSummary("Import orders from a CSV body (one row per order line)");

    public Task<ImportReport> RunAsync(string workspaceId, string actor, Stream csv, CancellationToken ct) =>
        importer.RunAsync(state, clock, workspaceId, actor, csv, ct);

    /// <summary>One record per order: an error on any of its rows rejects all of them.</summary>
    private static List<ImportItem<OrderValues>> CheckOrders(CsvFile file, WorkspaceSettings settings, List<ImportError> errors)
    {
        var items = new List<ImportItem<OrderValues>>();
        foreach (var rows in Group(file.Rows, errors))
        {
            var values = ValidateOrder(rows, settings);
            if (values is null)
            {
                errors.AddRange(OrderErrors(rows));
                continue;
            }
            items.Add(new ImportItem<OrderValues>(values, rows[0].RowNumber));
        }
        return items;
    }

    /// <summary>Rows grouped by order_id in the order orders first appear; rows without an order_id are errors.</summary>
    private static List<List<CsvRow>> Group(IReadOnlyList<CsvRow> rows, List<ImportError> errors)
    {
        var groups = new Dictionary<string, List<CsvRow>>(StringComparer.Ordinal);
        var order = new List<List<CsvRow>>();
        foreach (var row in rows)
        {
            var id = row.Text("order_id");
            if (id is null)
            {
                row.Errors.Add("order_id", "is required on every row.");
                errors.AddRange(ImportError.Of(row.RowNumber, row.Errors));
                continue;
            }
            if (!groups.TryGetValue(id, out var list))
            {
                groups[id] = list = [];
                order.Add(list);
            }
            list.Add(row);
        }
        return order;
    }

    private static OrderValues? ValidateOrder(List<CsvRow> rows, WorkspaceSettings settings)
    {
        var first = rows[0];
        // Order fields come from the first row; later rows repeat them or leave them empty.
        foreach (var row in rows.Skip(1))
        {
            foreach (var column in OrderColumns)
            {
                var value = row.Text(column);
                if (value is not null && value != first.Text(column))
                {
                    row.Errors.Add(column, $"'{value}' differs from row {first.RowNumber} of the same order ('{first.Text(column)}').");
                }
            }
        }
        var lines = rows.Select(r => new LineInput(
            r.Text("sku"), r.Text("name"), r.Text("category"), r.Text("brand"), r.WholeNumber("quantity"), r.Number("price"),
            r.Number("line_discount"))).ToList();
        var input = new OrderInput(
            first.Text("order_id"), first.Text("customer_id"), first.Text("status"), first.Text("currency"), lines,
            first.Number("discount"), first.Number("shipping"), first.Number("total"), first.Text("coupon"), first.Text("channel"),
            first.Text("payment_method"), first.Text("placed_at"), first.Text("paid_at"));
        // Cells that did not parse are already row errors; the rules add the rest under API field names, mapped back here.
        var fieldErrors = new FieldErrors();
        var values = OrderRules.Validate(input, settings.Currency, settings.Zone, fieldErrors);
        foreach (var (field, messages) in fieldErrors.ToDictionary())
        {
            var (row, column) = CellOf(field, rows);
            if (!row.Errors.Has(column))
            {
                foreach (var m in messages)
                {
                    row.Errors.Add(column, m);
                }
            }
        }
        return rows.Any(r => r.Errors.Any) ? null : values;
    }

    /// <summary>"lines[2].price" is the price cell of the order's third row; "total" is the total cell of its first row.</summary>
    private static (CsvRow Row, string Column) CellOf(string field, List<CsvRow> rows)
    {
        if (field.StartsWith("lines[", StringComparison.Ordinal))
        {
            var close = field.IndexOf(']', StringComparison.Ordinal);
            var index = int.Parse(field.AsSpan(6, close - 6), System.Globalization.CultureInfo.InvariantCulture);
            var column = field[(close + 2)..];
            return (rows[index], column == "discount" ? "line_discount" : column);
        }
        return (rows[0], field == "lines" ? "sku" : field);
    }

    private static IEnumerable<ImportError> OrderErrors(List<CsvRow> rows)
    {
        var bad = rows.Where(r => r.Errors.Any).Select(r => r.RowNumber).ToList();
        foreach (var row in rows)
        {
            if (row.Errors.Any)
            {
                foreach (var e in ImportError.Of(row.RowNumber, row.Errors))
                {
                    yield return e;
                }
            }
            else
            {
                yield return new ImportError(row.RowNumber, "", $"not imported: order '{row.Text("order_id")}' has errors on row(s) {string.Join(", ", bad)}.");
            }
        }
    }
}
