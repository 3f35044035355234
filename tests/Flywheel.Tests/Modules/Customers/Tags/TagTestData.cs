using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Customers.Tags;

/// <summary>Intent methods for the tag tests: customers and tags through the API, and the two tables as they stand.</summary>
internal static class TagTestData
{
    /// <summary>One row of cdp_tags, as compared before and after a refused request.</summary>
    public sealed record TagRow(string Name, string Kind, string? Description, string? Owner, string? Condition, DateTimeOffset UpdatedAt);

    /// <summary>One row of cdp_customer_tags, by tag name.</summary>
    public sealed record MemberRow(string Tag, string Customer, DateTimeOffset TaggedAt, string Source);

    public static async Task CreateCustomersAsync(FlywheelApp app, params string[] ids)
    {
        foreach (var id in ids)
        {
            (await app.PostJsonAsync("/api/v1/customers", new { external_id = id })).EnsureSuccessStatusCode();
        }
    }

    public static async Task<JsonElement> CreateTagAsync(FlywheelApp app, object body)
    {
        var response = await app.PostJsonAsync("/api/v1/tags", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    public static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string path, object body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: ApiJson.Options) });

    public static Task<HttpResponseMessage> TagAsync(FlywheelApp app, string tag, params string[] ids) =>
        SendJsonAsync(app.Client, HttpMethod.Post, $"/api/v1/tags/{Uri.EscapeDataString(tag)}/customers", new { customer_ids = ids });

    public static Task<HttpResponseMessage> UntagAsync(FlywheelApp app, string tag, params string[] ids) =>
        SendJsonAsync(app.Client, HttpMethod.Delete, $"/api/v1/tags/{Uri.EscapeDataString(tag)}/customers", new { customer_ids = ids });

    public static Task<HttpResponseMessage> ImportAsync(FlywheelApp app, string tag, string csv, string? mode = null)
    {
        var content = new StringContent(csv, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var query = mode is null ? "" : "?mode=" + mode;
        return app.Client.PostAsync($"/api/v1/tags/{Uri.EscapeDataString(tag)}/import{query}", content);
    }

    public static async Task<List<TagRow>> TagsAsync(FlywheelApp app)
    {
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var rows = await db.Tags.AsNoTracking().ToListAsync();
        return [.. rows.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new TagRow(t.Name, t.Kind.ToString(), t.Description, t.Owner, t.Condition, t.UpdatedAt))];
    }

    public static async Task<List<MemberRow>> MembersAsync(FlywheelApp app)
    {
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var rows = await (
            from m in db.CustomerTags
            join t in db.Tags on m.TagId equals t.Id
            select new { t.Name, m.CustomerExternalId, m.TaggedAt, m.Source }).ToListAsync();
        return [.. rows.Select(r => new MemberRow(r.Name, r.CustomerExternalId, r.TaggedAt, r.Source))
            .OrderBy(r => r.Tag, StringComparer.Ordinal).ThenBy(r => r.Customer, StringComparer.Ordinal)];
    }

    /// <summary>The problem's field errors, e.g. errors["name"].</summary>
    public static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").Clone();
    }

    public static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }

    public static string Message(JsonElement errors, string field) => string.Join(" ", errors.GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    /// <summary>A client with a new secret key holding only these scopes.</summary>
    public static async Task<HttpClient> ClientWithScopesAsync(FlywheelApp app, params string[] scopes)
    {
        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = "limited", scopes });
        response.EnsureSuccessStatusCode();
        return app.CreateClient((await FlywheelApp.ReadJsonAsync(response)).GetProperty("secret").GetString()!);
    }
}
