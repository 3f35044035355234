using System.Globalization;
using System.Text.Json;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>
/// Publishes segment entries and exits as events (<c>segment_entered</c>, <c>segment_exited</c>) for journeys and
/// analyses. seg_changes is the outbox: a change is published after the transaction that made it commits, from a
/// checkpoint of the last change published, and its dedup key is the change's id, so a change published twice (a
/// crash between submitting and moving the checkpoint) is stored once. Nothing committed is lost.
/// </summary>
public sealed class SegmentChangePublisher(StateStore state, IngestPipeline pipeline, TimeProvider clock) : IDisposable
{
    public const string Checkpoint = "segments.changes-published";
    private const int Batch = 10_000;

    private readonly SemaphoreSlim nudged = new(0);

    /// <summary>Asks for a prompt publication (after a commit that may have made changes).</summary>
    public void Nudge()
    {
        if (nudged.CurrentCount == 0)
        {
            nudged.Release();
        }
    }

    public void Dispose() => nudged.Dispose();

    public Task WaitForNudgeAsync(TimeSpan timeout, CancellationToken ct) => nudged.WaitAsync(timeout, ct);

    /// <summary>Publishes every committed change not yet published; returns how many were.</summary>
    public async Task<int> PublishAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var db = state.Open();
            var checkpoint = await db.ProjectionCheckpoints.FirstOrDefaultAsync(c => c.Name == Checkpoint, ct);
            if (checkpoint is null)
            {
                db.ProjectionCheckpoints.Add(checkpoint = new ProjectionCheckpoint { Name = Checkpoint, Position = 0 });
                await db.SaveChangesAsync(ct);
            }
            var after = checkpoint.Position;
            var changes = await (from c in db.SegmentChanges.AsNoTracking()
                                 join s in db.Segments.AsNoTracking() on c.SegmentId equals s.Id
                                 where c.Id > after
                                 orderby c.Id
                                 select new { c.Id, c.WorkspaceId, c.CustomerExternalId, c.Entered, c.At, s.Key, s.Name })
                .Take(Batch).ToListAsync(ct);
            // A change of a segment deleted since has no segment to name; it is skipped with the rest of the batch.
            var last = await db.SegmentChanges.Where(c => c.Id > after).OrderBy(c => c.Id).Take(Batch).Select(c => (long?)c.Id).MaxAsync(ct);
            if (last is null)
            {
                return total;
            }
            var received = Instants.ToMilliseconds(clock.GetUtcNow().UtcDateTime);
            var records = changes.Select(c => new EventRecord
            {
                WorkspaceId = c.WorkspaceId,
                EventId = "segment-change:" + c.Id.ToString(CultureInfo.InvariantCulture),
                DedupKey = "segment-change:" + c.Id.ToString(CultureInfo.InvariantCulture),
                Type = c.Entered ? EventTypes.SegmentEntered : EventTypes.SegmentExited,
                CustomerId = c.CustomerExternalId,
                Timestamp = Instants.ToMilliseconds(c.At.UtcDateTime),
                ReceivedAt = received,
                Properties = JsonSerializer.Serialize(new Dictionary<string, string> { ["segment"] = c.Key, ["segment_name"] = c.Name }),
            }).ToList();
            if (records.Count > 0)
            {
                await pipeline.SubmitAsync(records, ct);
            }
            checkpoint.Position = last.Value;
            await db.SaveChangesAsync(ct);
            total += records.Count;
        }
    }
}
