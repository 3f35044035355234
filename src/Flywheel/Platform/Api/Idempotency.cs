using System.Security.Cryptography;
using System.Text;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.Api;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header on a POST: the first successful (2xx) answer is stored per workspace and
/// key; a retry with the same key and the same request gets that answer again (with <c>Idempotent-Replayed: true</c>)
/// without running the handler; the same key with a different request is refused with 422. Failed requests are not
/// stored, since they changed nothing and may be retried as they are.
/// Handlers behind this filter must read the request body themselves (not bind it), because the filter reads it first.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, IdempotencyFilter>();
}

internal sealed class IdempotencyFilter(StateStore state, ICounters counters, TimeProvider clock) : IEndpointFilter
{
    /// <summary>Longest a request holds its key's lock; a slower one lets a retry run beside it.</summary>
    private static readonly TimeSpan LockTtl = TimeSpan.FromMinutes(1);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Idempotency.Header, out var values))
        {
            return await next(context);
        }
        var key = values.ToString().Trim();
        if (values.Count != 1 || key.Length is 0 or > Idempotency.MaxKeyLength)
        {
            return Problems.Validation(Idempotency.Header, $"must be one non-empty value of at most {Idempotency.MaxKeyLength} characters.");
        }
        var workspaceId = http.User.WorkspaceId();
        var ct = http.RequestAborted;
        var requestHash = await HashRequestAsync(http.Request, ct);
        // Requests with the same key run one at a time, on whichever node they land, so a retry that overtakes a slow
        // original waits for its answer.
        await using var held = await LockAsync(workspaceId, key, ct);
        await using (var db = state.Open())
        {
            var stored = await db.IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Key == key, ct);
            if (stored is not null)
            {
                return stored.RequestHash == requestHash
                    ? new Replay(stored)
                    : TypedResults.Problem(
                        statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: "Idempotency-Key reused with a different request.",
                        detail: $"The key '{key}' was first used with a different method, path or body; use a new key for a new request.");
            }
        }
        var result = await next(context);
        if (result is not IResult answer)
        {
            return result;
        }
        // Run the answer into a buffer so that it can be stored, then pass it on.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await answer.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        var status = http.Response.StatusCode;
        if (status is >= 200 and < 300)
        {
            await using var db = state.Open();
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                WorkspaceId = workspaceId,
                Key = key,
                RequestHash = requestHash,
                StatusCode = status,
                ContentType = http.Response.ContentType,
                Body = buffer.ToArray(),
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
        return Results.Empty;
    }

    private Task<CounterLock> LockAsync(string workspaceId, string key, CancellationToken ct) =>
        counters.LockAsync($"{workspaceId}:platform:idempotency:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}", LockTtl, ct);

    private static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class Replay(IdempotencyRecord stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = stored.StatusCode;
            if (stored.ContentType is not null)
            {
                response.ContentType = stored.ContentType;
            }
            response.Headers[Idempotency.ReplayedHeader] = "true";
            await response.Body.WriteAsync(stored.Body, httpContext.RequestAborted);
        }
    }
}
