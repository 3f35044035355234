using System.Security.Claims;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// GET /api/v1/customers?q=&amp;region=&amp;city=&amp;registration_channel=&amp;segment=&amp;tag=&amp;cursor=&amp;limit=: customers by
/// external id. <c>q</c> finds a customer by the start of their id, email or phone, or by part of their name;
/// <c>segment</c> (a key) and <c>tag</c> (a name) keep the segment's members and the tag's customers.
/// </summary>
public static class ListCustomers
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/customers", HandleAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("ListCustomers").WithSummary("Customers, by external id, a page at a time");

    public static async Task<Results<Ok<Page<CustomerView>>, ValidationProblem>> HandleAsync(
        string? q, string? region, string? city, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "registration_channel")] string? registrationChannel,
        string? segment, string? tag, string? cursor, int? limit, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var query = db.Customers.AsNoTracking().Where(c => c.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            query = query.Where(c => c.ExternalId.StartsWith(text) || (c.Name != null && c.Name.Contains(text))
                || (c.Email != null && c.Email.StartsWith(text)) || (c.Phone != null && c.Phone.StartsWith(text)));
        }
        if (!string.IsNullOrWhiteSpace(region))
        {
            query = query.Where(c => c.Region == region);
        }
        if (!string.IsNullOrWhiteSpace(city))
        {
            query = query.Where(c => c.City == city);
        }
        if (!string.IsNullOrWhiteSpace(registrationChannel))
        {
            query = query.Where(c => c.RegistrationChannel == registrationChannel);
        }
        if (!string.IsNullOrWhiteSpace(segment))
        {
            var members = SegmentMembers.Of(db, workspaceId, segment);
            query = query.Where(c => members.Contains(c.ExternalId));
        }
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var tagged = CustomerTagging.CustomersWith(db, workspaceId, tag);
            query = query.Where(c => tagged.Contains(c.ExternalId));
        }
        if (after is not null)
        {
            query = query.Where(c => c.ExternalId.CompareTo(after) > 0);
        }
        var fetched = await query.OrderBy(c => c.ExternalId).Take(take + 1).ToListAsync(ct);
        var page = Cursor.PageOf(fetched, take, c => c.ExternalId);
        return TypedResults.Ok(new Page<CustomerView>(page.Items.Select(CustomerView.From).ToList(), page.NextCursor));
    }
}
