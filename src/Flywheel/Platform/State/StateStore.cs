using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Platform.State;

/// <summary>Opens state-store contexts for the configured provider and applies its migrations.</summary>
public sealed class StateStore
{
    private readonly DbContextOptions<SqliteFlywheelDb> sqliteOptions;

    public StateStore(IOptions<FlywheelOptions> options)
    {
        var o = options.Value;
        if (!string.Equals(o.StateProvider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsValidationException(nameof(FlywheelOptions.StateProvider), typeof(FlywheelOptions),
                [$"Flywheel:StateProvider '{o.StateProvider}' is not supported; use 'sqlite'."]);
        }
        var connectionString = o.StateConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Directory.CreateDirectory(o.FullDataDir);
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(o.FullDataDir, "state.db"),
                DefaultTimeout = 30,
                Pooling = true,
            }.ToString();
        }
        sqliteOptions = new DbContextOptionsBuilder<SqliteFlywheelDb>()
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas())
            .Options;
    }

    public FlywheelDb Open() => new SqliteFlywheelDb(sqliteOptions);

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var db = Open();
        await db.Database.MigrateAsync(ct);
    }
}
