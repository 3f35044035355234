using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Flywheel.Platform.State;

/// <summary>The engine a state store runs on.</summary>
public enum StateEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the state store lives, read from the <c>Flywheel:Stores:State</c> URI: <c>sqlite:///var/lib/flywheel/state.db</c>
/// (everything after <c>sqlite://</c> is the file's path, relative paths from the working directory) or
/// <c>postgres://user:password@host:5432/database?sslmode=require</c> (query parameters are Npgsql connection-string
/// keywords). Null means SQLite in the data directory.
/// </summary>
public sealed record StateStoreAddress(StateEngine Engine, string ConnectionString, string Display)
{
    public const string Setting = "Flywheel:Stores:State";

    /// <summary>The description: the connection string holds the password, so it is never what gets printed.</summary>
    public override string ToString() => Display;

    /// <summary>URI query names from libpq's vocabulary, as Npgsql names them.</summary>
    private static readonly Dictionary<string, string> QueryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
    };

    /// <exception cref="OptionsValidationException">The URI is not a state-store address; the message names the setting.</exception>
    public static StateStoreAddress Parse(string? uri, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return Sqlite(Path.Combine(dataDir, "state.db"));
        }
        uri = uri.Trim();
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? uri[..colon].ToLowerInvariant() : "";
        return scheme switch
        {
            "sqlite" => Sqlite(SqlitePath(uri[(colon + 1)..]) ?? throw Invalid(uri, "names no file: write sqlite:///path/to/state.db.")),
            "postgres" or "postgresql" => Postgres(uri),
            _ => throw Invalid(uri, "is not a state-store URI: use sqlite:///path/to/state.db or postgres://user:password@host:5432/database."),
        };
    }

    private static string? SqlitePath(string rest)
    {
        var path = rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : rest;
        return path.Length == 0 ? null : Uri.UnescapeDataString(path);
    }

    private static StateStoreAddress Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        return new StateStoreAddress(StateEngine.Sqlite, connectionString, $"SQLite at {full}");
    }

    private static StateStoreAddress Postgres(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw Invalid(text, "is not a valid URI: write postgres://user:password@host:5432/database.");
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid(text, "names no database: write postgres://user:password@host:5432/database.");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.DnsSafeHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(kv[0].Replace('+', ' '));
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "";
            try
            {
                builder[QueryNames.GetValueOrDefault(name, name)] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw Invalid(text, $"has a parameter Npgsql does not accept ('{name}'): {ex.Message}");
            }
        }
        var user = builder.Username is { } u ? u + "@" : "";
        var display = string.Create(CultureInfo.InvariantCulture, $"PostgreSQL at {user}{builder.Host}:{builder.Port}/{builder.Database}");
        return new StateStoreAddress(StateEngine.Postgres, builder.ConnectionString, display);
    }

    private static OptionsValidationException Invalid(string uri, string problem) =>
        new(Setting, typeof(FlywheelOptions), [$"{Setting} '{Redact(uri)}' {problem}"]);

    /// <summary>The URI with any password replaced, for messages and logs.</summary>
    internal static string Redact(string uri)
    {
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        var at = uri.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return uri;
        }
        var colon = uri.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
