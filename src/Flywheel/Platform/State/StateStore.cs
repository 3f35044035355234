using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Platform.State;

/// <summary>Opens state-store contexts on the engine <c>Flywheel:Stores:State</c> names and applies its migrations.</summary>
public sealed class StateStore
{
    private readonly DbContextOptions<SqliteFlywheelDb>? sqliteOptions;
    private readonly DbContextOptions<PostgresFlywheelDb>? postgresOptions;

    /// <exception cref="OptionsValidationException">Flywheel:Stores:State is not a state-store URI.</exception>
    public StateStore(IOptions<FlywheelOptions> options)
    {
        var o = options.Value;
        Address = StateStoreAddress.Parse(o.Stores.State, o.FullDataDir);
        if (Address.Engine == StateEngine.Postgres)
        {
            postgresOptions = new DbContextOptionsBuilder<PostgresFlywheelDb>().UseNpgsql(Address.ConnectionString).Options;
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(new SqliteConnectionStringBuilder(Address.ConnectionString).DataSource)!);
            sqliteOptions = new DbContextOptionsBuilder<SqliteFlywheelDb>()
                .UseSqlite(Address.ConnectionString)
                .AddInterceptors(new SqlitePragmas())
                .Options;
        }
    }

    /// <summary>The engine, its connection string and a description without secrets (for logs).</summary>
    public StateStoreAddress Address { get; }

    public StateEngine Engine => Address.Engine;

    public FlywheelDb Open() => postgresOptions is not null ? new PostgresFlywheelDb(postgresOptions) : new SqliteFlywheelDb(sqliteOptions!);

    /// <summary>Creates the database if it is missing and applies the engine's migrations.</summary>
    /// <exception cref="InvalidOperationException">The store cannot be reached; the message names the setting.</exception>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var db = Open();
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        catch (Exception ex) when (ex is DbException or SocketException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"The state store ({Address.Display}, set by {StateStoreAddress.Setting}) cannot be opened or upgraded: {ex.Message}", ex);
        }
    }
}
