using Flywheel.Bench;

return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(args[1..]),
    "parts" => await Parts.RunAsync(),
    "quote" => QuoteBenchmark.Run(args[1..]),
    "quote-http" => await HttpQuoteBenchmark.RunAsync(args[1..]),
    "clusters" => await ClusterBenchmark.RunAsync(args[1..]),
    "segments" => await SegmentBenchmark.RunAsync(args[1..]),
    "analytics" => await AnalyticsBenchmark.RunAsync(args[1..]),
    "funnel" => await FunnelBenchmark.RunAsync(args[1..]),
    "flash-sale" => await FlashSaleBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        Flywheel benchmarks (results go to docs/benchmarks.md):
          ingest [--events N] [--clients C] [--batch B] [--warmup-seconds S]   HTTP batch ingestion vs. appending the same rows to DuckDB
          ingest --clickhouse host:8123 [...]                                   the same with events in ClickHouse, vs. its own HTTP INSERT
          parts                                                                 the steps of ingestion one at a time, per event
          quote [--quotes N]                                                    pricing latency: a 20-line cart against 500 live promotions
          quote-http [--seconds S] [--clients C] [--warmup S]                   carts/s through POST /api/v1/checkout/quote: the same cart and promotions, stored
          clusters --data-dir DIR [--copies N]                                  customer clustering on a generated shop (its rows N times over)
          segments --data-dir DIR [--now INSTANT]                               segment previews of the seven example conditions vs. hand-written SQL; event-to-membership latency
          analytics --data-dir DIR [--month YYYY-MM-01] [--now INSTANT]         KPI dashboard and cohort table vs. the analyst's SQL and one scan
          funnel --events FILE [--to DATE] [--days N] [--runs R] [--no-self-join]
                                                                                a 4-step funnel over a year (or N days) vs. an analyst's self-join and a single scan (FILE: a copy of a shop's events.duckdb)
          flash-sale --redis host:port [--attempts N] [--stock S] [--clients C]
                                                                                秒杀 attempts/s through HTTP (gate in Redis, ledger in SQLite) vs. Redis's own DECR rate
        Run in Release: dotnet run -c Release --project bench/Flywheel.Bench -- ingest
        """);
    return 2;
}
