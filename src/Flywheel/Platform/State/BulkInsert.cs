using System.Data.Common;

namespace Flywheel.Platform.State;

/// <summary>
/// Inserts many rows into one table through one prepared single-row statement: for loading generated or imported
/// history, where tracking every row in EF's change tracker would cost more than the inserts. Values are written as
/// they are stored (instants as UTC ticks, enums as their stored text), dates as <see cref="DateOnly"/>, which each
/// provider writes as its own date type; the caller owns the transaction.
/// </summary>
public sealed class BulkInsert : IDisposable
{
    private readonly DbCommand command;
    private readonly int width;
    private bool prepared;

    public BulkInsert(DbConnection connection, DbTransaction? transaction, string table, params string[] columns)
    {
        width = columns.Length;
        command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = string.Join(", ", columns.Select(c => $"\"{c}\""));
        var values = string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        command.CommandText = $"INSERT INTO \"{table}\" ({names}) VALUES ({values})";
        for (var i = 0; i < width; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Add(p);
        }
    }

    /// <summary>Inserts one row; <paramref name="values"/> in the order of the columns, null for SQL NULL.</summary>
    public void Add(params ReadOnlySpan<object?> values)
    {
        if (values.Length != width)
        {
            throw new ArgumentException($"Expected {width} values, got {values.Length}.", nameof(values));
        }
        for (var i = 0; i < width; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        if (!prepared)
        {
            // Prepared once the parameters have values: Npgsql infers their types from the values when it prepares.
            command.Prepare();
            prepared = true;
        }
        command.ExecuteNonQuery();
    }

    public void Dispose() => command.Dispose();
}
