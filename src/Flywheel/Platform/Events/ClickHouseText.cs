using System.Globalization;
using System.Text;

namespace Flywheel.Platform.Events;

/// <summary>
/// The only places where values become ClickHouse text: SQL string literals and TabSeparated fields. ClickHouse 18.16 has
/// no query parameters (<c>{name:Type}</c> arrived in 19.x), so every value in a query goes through <see cref="Literal(string)"/>.
/// </summary>
public static class ClickHouseText
{
    /// <summary>
    /// A quoted SQL string literal. Backslash and quote are escaped, and so are control characters, so that no text can
    /// end the literal early; bytes of other characters pass as UTF-8, which ClickHouse keeps unchanged.
    /// </summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        AppendEscaped(sb, value);
        return sb.Append('\'').ToString();
    }

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A list of literals for <c>IN (...)</c>.</summary>
    public static string Literals(IEnumerable<string> values) => string.Join(", ", values.Select(Literal));

    /// <summary>
    /// A TabSeparated field: the same escapes as a literal (tab and line feed are the separators, backslash the escape),
    /// or <c>\N</c> for null.
    /// </summary>
    public static void AppendField(StringBuilder sb, string? value)
    {
        if (value is null)
        {
            sb.Append("\\N");
            return;
        }
        AppendEscaped(sb, value);
    }

    private static void AppendEscaped(StringBuilder sb, string value)
    {
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\'': sb.Append("\\'"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\0': sb.Append("\\0"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default: sb.Append(ch); break;
            }
        }
    }

    /// <summary>Splits one TabSeparated line (without its line feed) into unescaped fields; <c>\N</c> reads as null.</summary>
    public static void SplitLine(ReadOnlySpan<char> line, List<string?> fields)
    {
        fields.Clear();
        var sb = new StringBuilder();
        var start = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] != '\t')
            {
                continue;
            }
            fields.Add(Unescape(line[start..i], sb));
            start = i + 1;
        }
    }

    private static string? Unescape(ReadOnlySpan<char> field, StringBuilder sb)
    {
        if (field is "\\N")
        {
            return null;
        }
        if (field.IndexOf('\\') < 0)
        {
            return field.ToString();
        }
        sb.Clear();
        for (var i = 0; i < field.Length; i++)
        {
            var ch = field[i];
            if (ch != '\\' || i + 1 == field.Length)
            {
                sb.Append(ch);
                continue;
            }
            var next = field[++i];
            sb.Append(next switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                'b' => '\b',
                'f' => '\f',
                'a' => '\a',
                'v' => '\v',
                _ => next,
            });
        }
        return sb.ToString();
    }
}
