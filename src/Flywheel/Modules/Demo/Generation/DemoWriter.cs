using System.Diagnostics;
using System.Threading.Channels;
using Flywheel.Modules.Catalog.Contracts;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Demo.Generation;

/// <summary>
/// Writes a generated shop into a workspace's stores: products, customers and orders into the state store, events into
/// the event store with ascending sequence numbers after what it holds. Customers are generated on one thread, a chunk
/// at a time, and each chunk is written to the two stores by one thread each, so memory stays flat however many
/// customers there are and the three steps overlap.
///
/// The profile and order projections are not run over the generated events: the rows written are the ones they would
/// leave (see <see cref="CustomerHistoryWriter"/> and <see cref="OrderHistoryWriter"/>), so their checkpoints are set
/// past the last generated event once everything is stored. Projections without a checkpoint start from the beginning.
/// </summary>
public static class DemoWriter
{
    private const int ChunkCustomers = 1000;

    /// <summary>Gross profit / revenue of the demo shop's goods across its categories.</summary>
    public const decimal DemoGrossMargin = 0.35m;

    /// <summary>Rows per event-store append: DuckDB's row group, which it writes straight to the file on commit.</summary>
    private const int EventsPerAppend = 122_880;

    private sealed record Chunk(DemoCustomer[] Customers, EventRecord[][] Events);

    public static async Task<DemoSummary> WriteAsync(
        StateStore state, IEventStore store, string workspaceId, DemoOptions options, Action<DemoSummary>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var simulator = ShopSimulator.Create(options, workspaceId);
        var catalogue = simulator.Catalogue;
        var now = simulator.Calendar.EndInstant;
        var summary = new DemoSummary { Options = options, Products = catalogue.Products.Count };

        await using (var db = state.Open())
        {
            await CatalogWrites.AddNewAsync(db, workspaceId, catalogue.ToCatalog(), now, ct);
        }

        var firstSeq = await store.GetLoadedSeqAsync(ct) + 1;
        var toState = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var toEvents = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var spend = new DemoSpend();
        var producer = Task.Run(() => ProduceAsync(simulator, options.Customers, firstSeq, summary, spend, progress, watch, [toState.Writer, toEvents.Writer], cancel.Token), cancel.Token);
        var stateWriter = Task.Run(() => WriteStateAsync(state, workspaceId, now, toState.Reader, cancel.Token), cancel.Token);
        var eventWriter = Task.Run(() => WriteEventsAsync(store, toEvents.Reader, cancel.Token), cancel.Token);
        try
        {
            await Task.WhenAll(producer, stateWriter, eventWriter);
        }
        catch
        {
            // One failed: stop the others rather than let them wait for chunks that will not come.
            await cancel.CancelAsync();
            throw;
        }

        var lastSeq = firstSeq - 1 + summary.Events;
        await using (var db = state.Open())
        {
            // Only now that every row and event is stored may the projections skip the generated events; the stored
            // traits the segment projection would have kept are computed in one pass instead.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await StoredTraitTable.RebuildAsync(db, workspaceId, now, ct);
            // The paid channels' daily spend, and a gross margin typical of a general online shop, so that the
            // dashboard's marketing group and attribution's returns have something to show.
            await SpendWrites.UpsertAsync(db, workspaceId, spend.Rows(), now, ct);
            await SpendWrites.SetGrossMarginAsync(db, workspaceId, DemoGrossMargin, now, ct);
            foreach (var name in new[] { CustomerProjections.Profiles, OrderHistories.Projection, SegmentProjections.Membership })
            {
                var checkpoint = await db.ProjectionCheckpoints.FirstOrDefaultAsync(c => c.Name == name, ct);
                if (checkpoint is null)
                {
                    db.ProjectionCheckpoints.Add(new ProjectionCheckpoint { Name = name, Position = lastSeq });
                }
                else
                {
                    checkpoint.Position = lastSeq;
                }
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        summary.LastSeq = lastSeq;
        summary.Seconds = watch.Elapsed.TotalSeconds;
        return summary;
    }

    /// <summary>Generates customers in order and numbers their events; the sequence numbers follow customer order.</summary>
    private static async Task ProduceAsync(
        ShopSimulator simulator, int customers, long firstSeq, DemoSummary summary, DemoSpend spend, Action<DemoSummary>? progress, Stopwatch watch,
        ChannelWriter<Chunk>[] outputs, CancellationToken ct)
    {
        try
        {
            var seq = firstSeq - 1;
            for (var start = 0; start < customers; start += ChunkCustomers)
            {
                var count = Math.Min(ChunkCustomers, customers - start);
                var chunk = new Chunk(new DemoCustomer[count], new EventRecord[count][]);
                for (var i = 0; i < count; i++)
                {
                    var c = simulator.Generate(start + i);
                    var numbered = new EventRecord[c.Events.Count];
                    for (var j = 0; j < numbered.Length; j++)
                    {
                        numbered[j] = c.Events[j] with { Seq = ++seq };
                    }
                    chunk.Customers[i] = c;
                    chunk.Events[i] = numbered;
                    summary.Count(c);
                    spend.Count(c);
                }
                foreach (var output in outputs)
                {
                    await output.WriteAsync(chunk, ct);
                }
                summary.Seconds = watch.Elapsed.TotalSeconds;
                progress?.Invoke(summary);
            }
            foreach (var output in outputs)
            {
                output.Complete();
            }
        }
        catch (Exception ex)
        {
            foreach (var output in outputs)
            {
                output.TryComplete(ex);
            }
            throw;
        }
    }

    private static async Task WriteStateAsync(StateStore state, string workspaceId, DateTimeOffset now, ChannelReader<Chunk> input, CancellationToken ct)
    {
        await using var db = state.Open();
        await db.Database.OpenConnectionAsync(ct);
        // A generated shop is complete or worthless (its marker file is written last), so the load need not be durable
        // commit by commit; on SQLite a large cache holds the indexes being filled.
        await db.Database.ExecuteSqlRawAsync(state.Engine == StateEngine.Sqlite
            ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
            : "SET synchronous_commit = off", ct);
        var connection = db.Database.GetDbConnection();
        await foreach (var chunk in input.ReadAllAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            using (var customers = new CustomerHistoryWriter(connection, tx, workspaceId, now))
            using (var orders = new OrderHistoryWriter(connection, tx, workspaceId, "import"))
            {
                for (var i = 0; i < chunk.Customers.Length; i++)
                {
                    customers.Add(chunk.Customers[i].Customer, chunk.Events[i]);
                    foreach (var o in chunk.Customers[i].Orders)
                    {
                        orders.Add(o);
                    }
                }
            }
            await tx.CommitAsync(ct);
        }
        await db.Database.ExecuteSqlRawAsync(state.Engine == StateEngine.Sqlite
            ? "PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE);"
            : "SET synchronous_commit = on", ct);
    }

    private static async Task WriteEventsAsync(IEventStore store, ChannelReader<Chunk> input, CancellationToken ct)
    {
        var append = store.BeginAppend();
        try
        {
            var appended = 0;
            await foreach (var chunk in input.ReadAllAsync(ct))
            {
                foreach (var events in chunk.Events)
                {
                    append.Append(events);
                    appended += events.Length;
                }
                if (appended >= EventsPerAppend)
                {
                    await append.CommitAsync(ct);
                    await append.DisposeAsync();
                    append = store.BeginAppend();
                    appended = 0;
                }
            }
            await append.CommitAsync(ct);
        }
        finally
        {
            await append.DisposeAsync();
        }
    }
}
