using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Flywheel.Modules.Customers.Ingestion;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;

namespace Flywheel.Bench;

internal static class Parts
{
    public static async Task<int> RunAsync()
    {
        var bodies = Enumerable.Range(0, 200).Select(i => SampleEvents.Batch(i, 1000, 5)).ToArray();
        var records = new List<EventRecord>();
        Measure("parse+validate", () =>
        {
            records.Clear();
            foreach (var b in bodies)
            {
                using var doc = JsonDocument.Parse(b);
                foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
                {
                    records.Add(EventValidator.Validate(IngestBatch.ReadEvent(e), "ws_x", DateTime.UtcNow, new FieldErrors())!);
                }
            }
        });
        Measure("hash", () => { foreach (var r in records) { DedupKeys.Hash(r.WorkspaceId, r.DedupKey); } });
        Measure("with seq", () => { long s = 0; foreach (var r in records) { _ = r with { Seq = s++ }; } });
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        Measure("encode", () => { foreach (var chunk in records.Chunk(1000)) { buffer.ResetWrittenCount(); EventCodec.Encode(chunk, buffer); } });
        var seq = 0L;
        var numbered = records.Select(r => r with { Seq = ++seq }).ToList();
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "e.duckdb");
        await using var store = new DuckDbEventStore(path);
        await store.InitializeAsync(default);
        if (Environment.GetEnvironmentVariable("DUCK_PRAGMA") is { } pragma)
        {
            using var c = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = pragma;
            cmd.ExecuteNonQuery();
        }
        Measure("duckdb append", () => { foreach (var chunk in numbered.Chunk(122_880)) { var a = store.BeginAppend(); a.Append(chunk); a.CommitAsync(default).GetAwaiter().GetResult(); a.DisposeAsync().AsTask().GetAwaiter().GetResult(); } });
        return 0;
    }

    private static void Measure(string name, Action action)
    {
        for (var warm = 0; warm < 2; warm++)
        {
            action();
        }
        var p = Process.GetCurrentProcess();
        var cpu = p.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        p.Refresh();
        Console.WriteLine($"{name,-16} cpu {(p.TotalProcessorTime - cpu).TotalMicroseconds / 200_000:F2} µs/event, wall {sw.Elapsed.TotalMicroseconds / 200_000:F2} µs/event");
    }
}
