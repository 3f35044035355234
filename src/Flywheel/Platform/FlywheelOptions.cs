namespace Flywheel.Platform;

/// <summary>Settings bound from the "Flywheel" configuration section.</summary>
public sealed class FlywheelOptions
{
    public const string Section = "Flywheel";

    /// <summary>Directory holding the embedded stores (state.db, events.duckdb, the ingest log).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>State store provider: "sqlite" (embedded, default).</summary>
    public string StateProvider { get; set; } = "sqlite";

    /// <summary>Connection string for the state store; derived from DataDir for SQLite when empty.</summary>
    public string? StateConnectionString { get; set; }

    /// <summary>True when serving a generated demo shop (`flywheel demo`): the demo storefront page is served too.</summary>
    public bool Demo { get; set; }

    public string FullDataDir => Path.GetFullPath(DataDir);
}
