using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Flywheel.Tests.Modules.Analytics.Reports;

/// <summary>
/// A real HTTP listener on a free local port that records every request it gets and answers each with the next status of
/// <see cref="Statuses"/> (200 once they run out), standing in for a shop's webhook endpoint.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly HttpListener listener = new();
    private readonly Channel<Received> received = Channel.CreateUnbounded<Received>();
    private readonly Task loop;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hooks/reports/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public Queue<int> Statuses { get; } = new();

    /// <summary>The next request received, waiting up to 30 seconds for it.</summary>
    public async Task<Received> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await received.Reader.ReadAsync(timeout.Token);
    }

    public int Pending => received.Reader.Count;

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            int status;
            lock (Statuses)
            {
                status = Statuses.Count > 0 ? Statuses.Dequeue() : 200;
            }
            context.Response.StatusCode = status;
            context.Response.Close();
            await received.Writer.WriteAsync(new Received(headers, body));
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
