using System.Buffers;
using System.Diagnostics;
using DuckDB.NET.Data;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;

namespace Flywheel.Bench;

/// <summary>
/// The steps of ingestion one at a time, on one thread, over the same 200,000 sample events: where the ingest path's
/// CPU goes. Each step runs twice unmeasured first, so the JIT has finished tiering it.
/// Set DUCK_PRAGMA (e.g. "SET force_compression='uncompressed'") to try a DuckDB setting on the append step.
/// </summary>
internal static class Parts
{
    private const int Batches = 200;
    private const int Events = Batches * 1000;

    public static async Task<int> RunAsync()
    {
        var bodies = Enumerable.Range(0, Batches).Select(i => SampleEvents.Batch(i, 1000, seed: 5)).ToArray();
        var receivedAt = DateTime.UtcNow;
        var records = new List<EventRecord>(Events);
        Measure("parse+validate", () => SampleEvents.ToRecords(bodies, receivedAt, records));
        Measure("hash", () =>
        {
            foreach (var r in records)
            {
                DedupKeys.Hash(r.WorkspaceId, r.DedupKey);
            }
        });
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        Measure("encode", () =>
        {
            foreach (var chunk in records.Chunk(1000))
            {
                buffer.ResetWrittenCount();
                EventCodec.Encode(chunk, buffer);
            }
        });
        var seq = 0L;
        var numbered = records.Select(r => r with { Seq = ++seq }).ToList();
        var path = Path.Combine(Directory.CreateTempSubdirectory("flywheel-bench-parts-").FullName, "events.duckdb");
        await using var store = new DuckDbEventStore(path);
        await store.InitializeAsync(CancellationToken.None);
        if (Environment.GetEnvironmentVariable("DUCK_PRAGMA") is { } pragma)
        {
            using var connection = new DuckDBConnection($"Data Source={path}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
        Measure("duckdb append", () =>
        {
            foreach (var chunk in numbered.Chunk(122_880))
            {
                var append = store.BeginAppend();
                append.Append(chunk);
                append.CommitAsync(CancellationToken.None).GetAwaiter().GetResult();
                append.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        var lean = new EventSelection(PropertiesOf: [EventTypes.Identify]);
        Measure("read back, lean", () => store.ReadRangeAsync(0, Events, lean, CancellationToken.None).GetAwaiter().GetResult());
        Measure("read back, full", () => store.ReadRangeAsync(0, Events, EventSelection.Everything, CancellationToken.None).GetAwaiter().GetResult());
        return 0;
    }

    private static void Measure(string name, Action action)
    {
        action();
        action();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        action();
        process.Refresh();
        Console.WriteLine($"{name,-16} cpu {(process.TotalProcessorTime - cpu).TotalMicroseconds / Events:F2} µs/event, " +
            $"wall {stopwatch.Elapsed.TotalMicroseconds / Events:F2} µs/event");
    }
}
