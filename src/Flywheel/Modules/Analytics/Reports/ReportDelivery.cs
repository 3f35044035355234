using System.Text;
using System.Text.Json.Nodes;
using Flywheel.Platform;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Delivers reports: to the file drop (a folder under the data directory) and to the subscription's webhook (a signed
/// JSON POST, retried with backoff by <see cref="ReportRunner"/>).
/// </summary>
public sealed class ReportDelivery(IHttpClientFactory http, IOptions<FlywheelOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "reports.webhooks";
    public const string Event = "report.ready";

    /// <summary>Waits after the 1st, 2nd, … failed attempt; after the last one the delivery is given up as failed.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6)];

    /// <summary>Attempts in all: the first and one after each wait.</summary>
    public static int MaxAttempts => Backoff.Count + 1;

    /// <summary>The folder a workspace's reports are dropped in: &lt;data dir&gt;/reports/&lt;workspace&gt;/&lt;subscription&gt;.</summary>
    public string Folder(string workspaceId, string subscriptionId) =>
        Path.Combine(options.Value.FullDataDir, "reports", workspaceId, subscriptionId);

    /// <summary>
    /// Writes the report's HTML, its figures as JSON and its charts as PNG, named after the period and the run; each file
    /// is written aside and moved into place, so that a reader of the folder never sees half a file. Returns the HTML's path.
    /// </summary>
    public async Task<string> DropAsync(ReportRun run, MadeReport report, CancellationToken ct)
    {
        var folder = Folder(run.WorkspaceId, run.SubscriptionId);
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"{run.PeriodFrom}_{run.PeriodTo}_{run.Id}");
        await WriteAsync(stem + ".html", Encoding.UTF8.GetBytes(report.Html), ct);
        await WriteAsync(stem + ".json", Encoding.UTF8.GetBytes(ReportMaker.Serialize(report.Figures)), ct);
        foreach (var (name, png) in report.Charts)
        {
            await WriteAsync($"{stem}_{name}.png", png, ct);
        }
        return stem + ".html";
    }

    private static async Task WriteAsync(string path, byte[] bytes, CancellationToken ct)
    {
        var temporary = path + ".part";
        await File.WriteAllBytesAsync(temporary, bytes, ct);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The webhook body: the event, the run, the report's figures, links to it in the API and the HTML itself.</summary>
    public static string Body(ReportRun run, string summaryJson, string html) =>
        new JsonObject
        {
            ["event"] = Event,
            ["delivery_id"] = run.Id,
            ["run_id"] = run.Id,
            ["subscription_id"] = run.SubscriptionId,
            ["period_from"] = run.PeriodFrom,
            ["period_to"] = run.PeriodTo,
            ["links"] = new JsonObject
            {
                ["report"] = ReportLinks.Run(run.Id),
                ["html"] = ReportLinks.Html(run.Id),
                ["charts"] = new JsonObject(ReportCharts.Names.Select(n => KeyValuePair.Create(n, (JsonNode?)ReportLinks.Chart(run.Id, n)))),
            },
            ["figures"] = JsonNode.Parse(summaryJson),
            ["html"] = html,
        }.ToJsonString();

    /// <summary>One POST of the webhook; null when the receiver answered 2xx, else what went wrong.</summary>
    public async Task<string?> PostAsync(string url, string secret, string deliveryId, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add("Flywheel-Event", Event);
        // The same id on every attempt: a receiver that got an earlier attempt can tell this one is a repeat.
        request.Headers.Add("Flywheel-Delivery", deliveryId);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ex is TaskCanceledException ? "The receiver did not answer within 10 seconds." : ex.Message;
        }
    }
}

/// <summary>Where a report run is found in the API.</summary>
public static class ReportLinks
{
    public static string Run(string runId) => $"/api/v1/reports/runs/{runId}";
    public static string Html(string runId) => $"/api/v1/reports/runs/{runId}/html";
    public static string Chart(string runId, string name) => $"/api/v1/reports/runs/{runId}/charts/{name}.png";
}
