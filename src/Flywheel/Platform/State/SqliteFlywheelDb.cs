using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Flywheel.Platform.State;

/// <summary>The state store on SQLite; its own type so that its migrations are a stream of their own.</summary>
public sealed class SqliteFlywheelDb(DbContextOptions<SqliteFlywheelDb> options) : FlywheelDb(options);

/// <summary>Lets `dotnet ef migrations add` build the SQLite context without starting the host.</summary>
internal sealed class SqliteFlywheelDbDesignFactory : IDesignTimeDbContextFactory<SqliteFlywheelDb>
{
    public SqliteFlywheelDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFlywheelDb>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>
/// WAL journal (readers never block the writer) and synchronous=FULL, so that a committed change survives a power
/// loss as well as a crash; the busy timeout makes concurrent writers wait instead of failing.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
