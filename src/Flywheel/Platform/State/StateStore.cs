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

    /// <summary>The PostgreSQL advisory lock nodes starting at once take, one after another, to migrate.</summary>
    private const long MigrationLock = 0x466C_7977_6D69_67;

    /// <summary>
    /// Takes the migration lock on the context's connection (kept open until the context is disposed, which ends the
    /// lock with the session at the latest). False when the database does not exist yet: the migration creates it.
    /// </summary>
    private static async Task<bool> LockMigrationsAsync(FlywheelDb db, CancellationToken ct)
    {
        try
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLock})", ct);
        return true;
    }

    /// <summary>Creates the database if it is missing and applies the engine's migrations, one node at a time.</summary>
    /// <exception cref="InvalidOperationException">The store cannot be reached; the message names the setting.</exception>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var db = Open();
        try
        {
            var locked = Engine == StateEngine.Postgres && await LockMigrationsAsync(db, ct);
            await db.Database.MigrateAsync(ct);
            if (locked)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLock})", ct);
            }
        }
        catch (Exception ex) when (ex is DbException or SocketException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"The state store ({Address.Display}, set by {StateStoreAddress.Setting}) cannot be opened or upgraded: {ex.Message}", ex);
        }
    }
}
