using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// A SQL statement under construction with its parameters: every value a condition holds becomes a parameter, so that
/// no text a user wrote is ever part of the statement.
/// </summary>
internal sealed class SqlText
{
    private readonly List<object> values = [];

    public StringBuilder Text { get; } = new();

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Parameter(object value)
    {
        values.Add(value);
        return "@p" + (values.Count - 1).ToString(CultureInfo.InvariantCulture);
    }

    public SqlText Append(string text)
    {
        Text.Append(text);
        return this;
    }

    /// <summary>Restricts the customer id <paramref name="idColumn"/> to <paramref name="among"/> when given.</summary>
    public SqlText AppendAmong(IReadOnlyCollection<string>? among, string idColumn = "c.\"ExternalId\"")
    {
        if (among is not null)
        {
            Append(among.Count == 0 ? " AND (1 = 0)" : $" AND {idColumn} IN ({string.Join(", ", among.Select(id => Parameter(id)))})");
        }
        return this;
    }

    public DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Text.ToString();
        for (var i = 0; i < values.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = values[i];
            command.Parameters.Add(p);
        }
        return command;
    }
}
