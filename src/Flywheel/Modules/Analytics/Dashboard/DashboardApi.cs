using System.Globalization;
using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// GET /api/v1/analytics/dashboard: every KPI of the range against the compared period, with a series by day, week or
/// month, optionally for a segment, a city, a UTM source or a category; the marketing group credits orders by `model` and
/// computes ROI with `gross_margin`. GET /api/v1/analytics/dashboard.csv: the series
/// as CSV, one row per bucket and one column per metric. Definitions: docs/metrics.md, "KPI dashboard".
/// </summary>
public static class DashboardApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/analytics/dashboard", HandleAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetDashboard").WithSummary("Every KPI of a range against the previous period or last year, with a series");
        group.MapGet("/analytics/dashboard.csv", HandleCsvAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetDashboardCsv").WithSummary("The dashboard's series as CSV");
    }

    public static async Task<Results<Ok<DashboardResult>, ValidationProblem>> HandleAsync(
        [AsParameters] DashboardParameters p, ClaimsPrincipal caller, DashboardQuery query, CancellationToken ct)
    {
        var (result, errors) = await RunAsync(p, caller.WorkspaceId(), query, ct);
        return result is null ? Problems.Validation(errors.ToDictionary()) : TypedResults.Ok(result);
    }

    public static async Task<IResult> HandleCsvAsync(
        [AsParameters] DashboardParameters p, ClaimsPrincipal caller, DashboardQuery query, HttpResponse response, CancellationToken ct)
    {
        var (result, errors) = await RunAsync(p, caller.WorkspaceId(), query, ct);
        if (result is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"dashboard-{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv\"";
        await using var writer = new StreamWriter(response.Body, leaveOpen: true);
        await WriteCsvAsync(result, writer, ct);
        return TypedResults.Empty;
    }

    /// <summary>The series as CSV: from, to, then every metric in catalogue order; unknown values are empty.</summary>
    public static async Task WriteCsvAsync(DashboardResult result, TextWriter writer, CancellationToken ct)
    {
        await using var csv = CsvHelper.CsvWriter.Create(writer, new CsvHelper.CsvWriterOptions(), leaveOpen: true);
        csv.WriteField("from");
        csv.WriteField("to");
        foreach (var m in DashboardMetrics.All)
        {
            csv.WriteField(m.Key);
        }
        await csv.EndRecordAsync(ct);
        foreach (var point in result.Series)
        {
            csv.WriteField(point.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(point.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var m in DashboardMetrics.All)
            {
                csv.WriteField(point.Values[m.Key]?.ToString(CultureInfo.InvariantCulture) ?? "");
            }
            await csv.EndRecordAsync(ct);
        }
    }

    private static async Task<(DashboardResult?, FieldErrors)> RunAsync(
        DashboardParameters p, string workspaceId, DashboardQuery query, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var cut = new DashboardCut(p.Segment, p.City, p.Source, p.Category);
        var request = DashboardRequest.Parse(p.From, p.To, p.Grain, p.Compare, p.WeekStart, cut, await query.TodayAsync(workspaceId, ct), errors,
            p.Model, p.GrossMargin);
        if (request is null)
        {
            return (null, errors);
        }
        try
        {
            return (await query.GetAsync(workspaceId, request, ct), errors);
        }
        catch (UnknownCutException ex)
        {
            errors.Add(ex.Field, ex.Message);
            return (null, errors);
        }
    }
}

/// <summary>The dashboard's query string.</summary>
public sealed record DashboardParameters(
    string? From, string? To, string? Grain, string? Compare, [property: FromQuery(Name = "week_start")] string? WeekStart,
    string? Segment, string? City, string? Source, string? Category, string? Model,
    [property: FromQuery(Name = "gross_margin")] string? GrossMargin);
