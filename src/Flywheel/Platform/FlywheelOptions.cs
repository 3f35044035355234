namespace Flywheel.Platform;

/// <summary>Settings bound from the "Flywheel" configuration section.</summary>
public sealed class FlywheelOptions
{
    public const string Section = "Flywheel";

    /// <summary>Directory holding the embedded stores (state.db, events.duckdb, the ingest log).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>True when serving a generated demo shop (`flywheel demo`): the demo storefront page is served too.</summary>
    public bool Demo { get; set; }

    /// <summary>Which engine each store runs on, as a URI per store (Flywheel:Stores:State, :Events, :Counters).</summary>
    public StoreSettings Stores { get; set; } = new();

    public string FullDataDir => Path.GetFullPath(DataDir);
}

/// <summary>
/// One URI per store whose scheme picks the engine: state <c>sqlite:///path/state.db</c> or
/// <c>postgres://user:pass@host:5432/db</c>; events <c>duckdb:///path/events.duckdb</c> or <c>clickhouse://host:8123/db</c>;
/// counters <c>memory:</c> or <c>redis://host:6379</c>. Null means the embedded engine under the data directory.
/// </summary>
public sealed class StoreSettings
{
    public string? State { get; set; }
    public string? Events { get; set; }
    public string? Counters { get; set; }
}
