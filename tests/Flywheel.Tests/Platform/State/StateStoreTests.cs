using System.Net;
using System.Net.Sockets;
using Flywheel.Platform;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Flywheel.Tests.Platform.State;

public sealed class StateStoreTests
{
    [Fact]
    public void PostgresUri_BecomesAnNpgsqlConnectionString_AndIsShownWithoutItsPassword()
    {
        var address = StateStoreAddress.Parse("postgres://shop%40eu:s3cr%2Ft@db.example.com:6432/flywheel?sslmode=require&application_name=fw", "/data");

        var cs = new NpgsqlConnectionStringBuilder(address.ConnectionString);
        Assert.Equal(StateEngine.Postgres, address.Engine);
        Assert.Equal(("db.example.com", 6432, "flywheel", "shop@eu", "s3cr/t"), (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password));
        Assert.Equal(SslMode.Require, cs.SslMode);
        Assert.Equal("fw", cs.ApplicationName);
        Assert.Equal("PostgreSQL at shop@eu@db.example.com:6432/flywheel", address.Display);
        Assert.DoesNotContain("s3cr", address.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresUri_WithoutPort_UsesPostgresDefault()
    {
        var cs = new NpgsqlConnectionStringBuilder(StateStoreAddress.Parse("postgresql://u@localhost/shop", "/data").ConnectionString);
        Assert.Equal(5432, cs.Port);
    }

    [Fact]
    public void SqliteUri_NamesTheFile_AndNoUriMeansTheDataDirectory()
    {
        var file = Path.Combine(Path.GetTempPath(), "elsewhere", "state.db");
        Assert.Equal($"SQLite at {file}", StateStoreAddress.Parse("sqlite://" + file, "/data").Display);
        Assert.Equal($"SQLite at {Path.GetFullPath("/data/state.db")}", StateStoreAddress.Parse(null, "/data").Display);
    }

    [Theory]
    [InlineData("mysql://u:hunter2@host/db")]
    [InlineData("postgres://u:hunter2@host:5432/")]
    [InlineData("postgres://u:hunter2@host/db?no_such_setting=1")]
    [InlineData("sqlite://")]
    public void BadUri_IsRefused_NamingTheSetting_WithoutThePassword(string uri)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => StateStoreAddress.Parse(uri, "/data"));
        Assert.Contains("Flywheel:Stores:State", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadUri_StopsStartUp_NamingTheSetting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Flywheel:Stores:State"] = "mongodb://host/db" }));
        Assert.Contains("Flywheel:Stores:State", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachablePostgres_StopsStartUp_NamingTheSetting_WithoutThePassword()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => FlywheelApp.StartAsync(new Dictionary<string, string?>
        {
            ["Flywheel:Stores:State"] = $"postgres://flywheel:hunter2@127.0.0.1:{port}/shop?connect_timeout=3",
        }));
        Assert.Contains("Flywheel:Stores:State", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}/shop", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresMigrations_OnAnEmptyDatabase_CreateTheWholeModel()
    {
        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            var store = new StateStore(Options.Create(new FlywheelOptions { Stores = { State = server.Uri(database) } }));
            await store.MigrateAsync(TestContext.Current.CancellationToken);

            await using var db = store.Open();
            Assert.IsType<PostgresFlywheelDb>(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no PostgreSQL migration describes.");
            Assert.Equal(0, await db.Orders.CountAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public void SqliteMigrations_DescribeTheWholeModel()
    {
        var dir = Directory.CreateTempSubdirectory("flywheel-test-").FullName;
        var store = new StateStore(Options.Create(new FlywheelOptions { DataDir = dir }));
        using var db = store.Open();
        Assert.IsType<SqliteFlywheelDb>(db);
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no SQLite migration describes.");
        Directory.Delete(dir, recursive: true);
    }
}
