using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Flywheel.Platform.State;

/// <summary>The state store on PostgreSQL; its own type so that its migrations are a stream of their own.</summary>
public sealed class PostgresFlywheelDb(DbContextOptions<PostgresFlywheelDb> options) : FlywheelDb(options);

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL context without starting the host (it never connects).</summary>
internal sealed class PostgresFlywheelDbDesignFactory : IDesignTimeDbContextFactory<PostgresFlywheelDb>
{
    public PostgresFlywheelDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFlywheelDb>().UseNpgsql("Host=localhost;Database=flywheel_design").Options);
}
