using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Membership;
using Flywheel.Modules.Segments.Model;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Segments;

/// <summary>
/// Segments: preview, create, change and delete, each change of a condition recomputing membership at once. A singleton
/// that opens its own state-store context per call, so that console pages use it as the API does.
/// </summary>
public sealed class SegmentService(StateStore state, SegmentMembership membership, SegmentChangePublisher publisher, TimeProvider clock)
{
    public const int SampleSize = 10;

    public sealed record SegmentInputs(string? Key, string? Name, string? Description, string? ConditionText, JsonElement? ConditionJson);

    /// <summary>How many customers meet the condition now, and the first few by id; nothing is stored.</summary>
    public async Task<SegmentOutcome<SegmentPreview>> PreviewAsync(string workspaceId, string? text, JsonElement? json, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = state.Open();
        var read = await SegmentInput.ConditionAsync(db, workspaceId, null, text, json, ct);
        if (read.Refusal is not null)
        {
            return read.Refusal;
        }
        var condition = read.Value!;
        var evaluator = await membership.EvaluatorAsync(db, workspaceId, clock.GetUtcNow(), ct);
        var (count, sample) = await evaluator.CountAsync(condition, SampleSize, ct);
        return new SegmentPreview(count, sample, SegmentText.Print(condition), SegmentView.ConditionJsonOf(condition),
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public async Task<IReadOnlyList<SegmentView>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var db = state.Open();
        var segments = await db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).ToListAsync(ct);
        return [.. segments.OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).Select(SegmentView.From)];
    }

    public async Task<SegmentView?> GetAsync(string workspaceId, string key, CancellationToken ct)
    {
        await using var db = state.Open();
        var segment = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Key == key, ct);
        return segment is null ? null : SegmentView.From(segment);
    }

    /// <summary>Makes a segment and computes its members; its first members enter it (and are announced) at creation.</summary>
    public async Task<SegmentOutcome<SegmentView>> CreateAsync(ClaimsPrincipal caller, SegmentInputs input, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if ((SegmentInput.Key(input.Key) ?? SegmentInput.Name(input.Name) ?? SegmentInput.Description(input.Description)) is { } invalid)
        {
            return invalid;
        }
        await using var held = await membership.LockAsync(workspaceId, ct);
        await using var db = state.Open();
        var read = await SegmentInput.ConditionAsync(db, workspaceId, input.Key, input.ConditionText, input.ConditionJson, ct);
        if (read.Refusal is not null)
        {
            return read.Refusal;
        }
        if (await db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Key == input.Key, ct))
        {
            return SegmentRefusal.Conflict("key", $"A segment with key '{input.Key}' already exists.");
        }
        var now = clock.GetUtcNow();
        var segment = new Segment
        {
            Id = Ids.New("seg"),
            WorkspaceId = workspaceId,
            Key = input.Key!,
            Name = input.Name!.Trim(),
            Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
            Condition = SegmentText.Print(read.Value!),
            Version = 1,
            CreatedBy = caller.Actor(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Segments.Add(segment);
            await db.SaveChangesAsync(ct);
            await membership.RecomputeAsync(db, segment, now, ct);
            db.Record(caller, now, "created", "segment", segment.Key, after: Audited(segment));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        publisher.Nudge();
        return SegmentView.From(segment);
    }

    /// <summary>Changes name, description or condition (null leaves a field as it is); a new condition is recomputed at once.</summary>
    public async Task<SegmentOutcome<SegmentView>> UpdateAsync(ClaimsPrincipal caller, string key, SegmentInputs input, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (((input.Name is null ? null : SegmentInput.Name(input.Name)) ?? SegmentInput.Description(input.Description)) is { } invalid)
        {
            return invalid;
        }
        await using var held = await membership.LockAsync(workspaceId, ct);
        await using var db = state.Open();
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Key == key, ct);
        if (segment is null)
        {
            return SegmentRefusal.NotFound(key);
        }
        var before = Audited(segment);
        string? condition = null;
        if (input.ConditionText is not null || input.ConditionJson is not null)
        {
            var read = await SegmentInput.ConditionAsync(db, workspaceId, key, input.ConditionText, input.ConditionJson, ct);
            if (read.Refusal is not null)
            {
                return read.Refusal;
            }
            condition = SegmentText.Print(read.Value!);
        }
        var now = clock.GetUtcNow();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            segment.Name = input.Name?.Trim() ?? segment.Name;
            if (input.Description is not null)
            {
                segment.Description = input.Description.Trim().Length == 0 ? null : input.Description.Trim();
            }
            if (condition is not null && condition != segment.Condition)
            {
                segment.Condition = condition;
                segment.Version++;
                await membership.RecomputeAsync(db, segment, now, ct);
            }
            segment.UpdatedAt = now;
            db.Record(caller, now, "updated", "segment", segment.Key, before, Audited(segment));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        publisher.Nudge();
        return SegmentView.From(segment);
    }

    /// <summary>Deletes a segment with its members, timers and history; refused while another segment or a rule tag names it.</summary>
    public async Task<SegmentRefusal?> DeleteAsync(ClaimsPrincipal caller, string key, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        await using var held = await membership.LockAsync(workspaceId, ct);
        await using var db = state.Open();
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Key == key, ct);
        if (segment is null)
        {
            return SegmentRefusal.NotFound(key);
        }
        var dependants = (await db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId && s.Id != segment.Id).ToListAsync(ct))
            .Where(s => SegmentConditionRefs.SegmentsNamed(SegmentMembership.Read(s.Condition)).Contains(key)).Select(s => $"segment '{s.Key}'")
            .Concat((await db.Tags.AsNoTracking().Where(t => t.WorkspaceId == workspaceId && t.Condition != null).ToListAsync(ct))
                .Where(t => SegmentConditionRefs.SegmentsNamed(SegmentMembership.Read(t.Condition!)).Contains(key)).Select(t => $"tag '{t.Name}'"))
            .ToList();
        if (dependants.Count > 0)
        {
            return SegmentRefusal.Conflict("key", $"Segment '{key}' is named by {string.Join(", ", dependants)}; change those first.");
        }
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SegmentMembers.Where(m => m.SegmentId == segment.Id).ExecuteDeleteAsync(ct);
        await db.SegmentTimers.Where(m => m.SegmentId == segment.Id).ExecuteDeleteAsync(ct);
        await db.SegmentChanges.Where(m => m.SegmentId == segment.Id).ExecuteDeleteAsync(ct);
        db.Segments.Remove(segment);
        db.Record(caller, now, "deleted", "segment", segment.Key, before: Audited(segment));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    private static object Audited(Segment s) => new { s.Key, s.Name, s.Description, s.Condition, s.Version };
}
