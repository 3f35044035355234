using System.Security.Claims;
using System.Text.Json;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Marketing.Spend;

/// <summary>
/// Daily ad and channel spend (docs/marketing.md): PUT /api/v1/marketing/spend upserts rows given as JSON;
/// POST /api/v1/imports/ad_spend upserts rows from a CSV body; GET lists the rows of a date range; DELETE removes the rows
/// of a date range (optionally of one channel). A bad row refuses the whole request with a 400 naming the row and the
/// field, and nothing is written. Every change is audited.
/// </summary>
public static class SpendApi
{
    public const string ImportKind = "ad_spend";
    public const int MaxRows = 100_000;
    public const int MaxDays = 366;

    public sealed record SpendRowView(DateOnly Date, string Channel, string? Campaign, string? Creative, decimal Spend, long Impressions, long Clicks);

    public sealed record SpendListView(DateOnly From, DateOnly To, string Currency, decimal TotalSpend, IReadOnlyList<SpendRowView> Rows);

    public sealed record SpendWriteView(int Rows, int Created, int Updated, int Unchanged);

    public sealed record SpendDeleteView(int Deleted);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/marketing/spend", ListAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ListSpend").WithSummary("Spend rows of a range of local dates");
        group.MapPut("/marketing/spend", PutAsync).RequireAuthorization(Scopes.MarketingWrite)
            .WithName("UpsertSpend").WithSummary("Create or replace spend rows by date, channel, campaign and creative");
        group.MapPost($"/imports/{ImportKind}", ImportAsync).RequireAuthorization(Scopes.MarketingWrite).Accepts<string>("text/csv")
            .WithName("ImportSpend").WithSummary("Create or replace spend rows from a CSV body; any bad row refuses the file");
        group.MapDelete("/marketing/spend", DeleteAsync).RequireAuthorization(Scopes.MarketingWrite)
            .WithName("DeleteSpend").WithSummary("Delete the spend rows of a range of local dates, optionally of one channel");
    }

    public static async Task<Results<Ok<SpendListView>, ValidationProblem>> ListAsync(
        string? from, string? to, string? channel, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        var range = Range(from, to, LocalDays.DateOf(clock.GetUtcNow(), settings.Zone), required: false, errors);
        if (range is not { } r)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var query = db.AdSpend.AsNoTracking().Where(s => s.WorkspaceId == workspaceId && s.Date >= r.From && s.Date <= r.To);
        if (!string.IsNullOrWhiteSpace(channel))
        {
            query = query.Where(s => s.Channel == channel.Trim());
        }
        var stored = (await query.ToListAsync(ct))
            .OrderBy(s => s.Date).ThenBy(s => s.Channel, StringComparer.Ordinal)
            .ThenBy(s => s.Campaign, StringComparer.Ordinal).ThenBy(s => s.Creative, StringComparer.Ordinal)
            .ToList();
        var rows = stored.Select(s => new SpendRowView(s.Date, s.Channel, s.Campaign.Length == 0 ? null : s.Campaign,
            s.Creative.Length == 0 ? null : s.Creative, Money.ToMajor(s.SpendMinor, settings.Currency), s.Impressions, s.Clicks)).ToList();
        return TypedResults.Ok(new SpendListView(r.From, r.To, settings.Currency, Money.ToMajor(stored.Sum(s => s.SpendMinor), settings.Currency), rows));
    }

    public static async Task<Results<Ok<SpendWriteView>, ValidationProblem>> PutAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var currency = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Currency;
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "rows");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (!document.RootElement.TryGetProperty("rows", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return Problems.Validation("rows", "is required: an array of {date, channel, campaign?, creative?, spend, impressions?, clicks?}.");
        }
        if (array.GetArrayLength() > MaxRows)
        {
            return Problems.Validation("rows", $"has {array.GetArrayLength():N0} rows; at most {MaxRows:N0} are accepted at once.");
        }
        var checkedRows = new List<(SpendFigures Row, string Label)>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var prefix = $"rows[{index++}].";
            var rowErrors = new FieldErrors();
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(prefix.TrimEnd('.'), "must be an object.");
                continue;
            }
            var row = SpendRules.Validate(SpendRules.FromJson(new JsonInput(element, rowErrors, prefix)), currency, rowErrors, prefix);
            Merge(rowErrors, errors);
            if (row is not null)
            {
                checkedRows.Add((row, prefix + "date"));
            }
        }
        return await WriteAsync(checkedRows, errors, workspaceId, caller.Actor(), "updated", db, clock, ct);
    }

    public static Task<Results<Ok<SpendWriteView>, ValidationProblem>> ImportAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        ImportCsvAsync(request.Body, caller, db, clock, ct);

    /// <summary>The CSV import from any stream: the request body, or a file uploaded on the console.</summary>
    public static async Task<Results<Ok<SpendWriteView>, ValidationProblem>> ImportCsvAsync(
        Stream csv, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var currency = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Currency;
        CsvFile file;
        try
        {
            file = await CsvFile.ReadAsync(csv, [.. SpendRules.Columns], [.. SpendRules.RequiredColumns], ct);
        }
        catch (ImportFileException ex)
        {
            return Problems.Validation("file", ex.Message);
        }
        if (file.Rows.Count > MaxRows)
        {
            return Problems.Validation("file", $"has {file.Rows.Count:N0} rows; at most {MaxRows:N0} are accepted at once.");
        }
        var errors = new FieldErrors();
        var checkedRows = new List<(SpendFigures Row, string Label)>();
        foreach (var csvRow in file.Rows)
        {
            var row = SpendRules.Validate(SpendRules.FromCsv(csvRow), currency, csvRow.Errors);
            var label = $"row {csvRow.RowNumber}";
            foreach (var (column, messages) in csvRow.Errors.ToDictionary())
            {
                foreach (var message in messages)
                {
                    errors.Add(column.Length == 0 ? label : $"{label}.{column}", message);
                }
            }
            if (row is not null)
            {
                checkedRows.Add((row, label + ".date"));
            }
        }
        return await WriteAsync(checkedRows, errors, workspaceId, caller.Actor(), "imported", db, clock, ct);
    }

    public static async Task<Results<Ok<SpendDeleteView>, ValidationProblem>> DeleteAsync(
        string? from, string? to, string? channel, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var errors = new FieldErrors();
        var range = Range(from, to, default, required: true, errors);
        if (range is not { } r)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var name = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rows = db.AdSpend.Where(s => s.WorkspaceId == workspaceId && s.Date >= r.From && s.Date <= r.To);
        if (name is not null)
        {
            rows = rows.Where(s => s.Channel == name);
        }
        var deleted = await rows.ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            db.Record(caller, clock.GetUtcNow(), "deleted", "ad_spend", $"{r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}",
                before: new { from = r.From, to = r.To, channel = name, rows = deleted });
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new SpendDeleteView(deleted));
    }

    /// <summary>Refuses the whole request when any row is wrong or a key repeats; otherwise upserts every row and audits it.</summary>
    private static async Task<Results<Ok<SpendWriteView>, ValidationProblem>> WriteAsync(
        List<(SpendFigures Row, string Label)> rows, FieldErrors errors, string workspaceId, string actor, string action,
        FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var firstOf = new Dictionary<(DateOnly, string, string, string), string>();
        foreach (var (row, label) in rows)
        {
            if (!firstOf.TryAdd(row.Key, label))
            {
                errors.Add(label, $"{row.Date:yyyy-MM-dd} {row.Channel} '{row.Campaign}' '{row.Creative}' is already given at {firstOf[row.Key]}; each date, channel, campaign and creative may come once.");
            }
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary(), "Nothing was written: fix the rows named and send them again.");
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await SpendWrites.UpsertAsync(db, workspaceId, [.. rows.Select(r => r.Row)], now, ct);
        if (result.Created + result.Updated > 0)
        {
            var dates = rows.Select(r => r.Row.Date).ToList();
            db.Record(workspaceId, actor, now, action, "ad_spend", $"{dates.Min():yyyy-MM-dd}..{dates.Max():yyyy-MM-dd}",
                after: new { rows = rows.Count, created = result.Created, updated = result.Updated, spend_minor = rows.Sum(r => r.Row.SpendMinor) });
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new SpendWriteView(rows.Count, result.Created, result.Updated, result.Unchanged));
    }

    /// <summary>A range of local dates: both ends required for a delete; for a list, the 30 days ending today by default.</summary>
    private static (DateOnly From, DateOnly To)? Range(string? from, string? to, DateOnly today, bool required, FieldErrors errors)
    {
        var start = Fields.Date(from, "from", errors);
        var end = Fields.Date(to, "to", errors);
        if (required)
        {
            if (string.IsNullOrEmpty(from))
            {
                errors.Add("from", "is required: the first local date whose rows go (yyyy-MM-dd).");
            }
            if (string.IsNullOrEmpty(to))
            {
                errors.Add("to", "is required: the last local date whose rows go (yyyy-MM-dd).");
            }
        }
        if (errors.Any)
        {
            return null;
        }
        var last = end ?? today;
        var first = start ?? last.AddDays(-29);
        if (first > last)
        {
            errors.Add("from", $"{first:yyyy-MM-dd} is after 'to' ({last:yyyy-MM-dd}).");
        }
        else if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {last.DayNumber - first.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        return errors.Any ? null : (first, last);
    }

    private static void Merge(FieldErrors from, FieldErrors into)
    {
        foreach (var (field, messages) in from.ToDictionary())
        {
            foreach (var message in messages)
            {
                into.Add(field, message);
            }
        }
    }
}
