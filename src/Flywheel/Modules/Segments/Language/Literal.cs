using System.Globalization;

namespace Flywheel.Modules.Segments.Language;

/// <summary>A value written in a condition: the right-hand side of a comparison.</summary>
public abstract record Literal
{
    public static Literal Of(string value) => new StringLiteral(value);

    public static Literal Of(decimal value) => new NumberLiteral(value);

    public static Literal Of(bool value) => new BooleanLiteral(value);

    public static Literal Of(DateOnly value) => new DateLiteral(value);

    public static Literal Of(DateTimeOffset value) => new DateTimeLiteral(value);

    /// <summary>How the value reads in messages and in the canonical text.</summary>
    public abstract string ToText();
}

/// <summary>A string, written in single quotes with <c>''</c> for a quote inside.</summary>
public sealed record StringLiteral(string Value) : Literal
{
    public override string ToText() => "'" + Value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>An exact number. Never a double: amounts compare to the cent.</summary>
public sealed record NumberLiteral(decimal Value) : Literal
{
    public override string ToText() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record BooleanLiteral(bool Value) : Literal
{
    public override string ToText() => Value ? "true" : "false";
}

/// <summary>A calendar day, read in the workspace time zone when compared with an instant.</summary>
public sealed record DateLiteral(DateOnly Value) : Literal
{
    public override string ToText() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>An instant, always written with its offset so that it means the same in every time zone.</summary>
public sealed record DateTimeLiteral(DateTimeOffset Value) : Literal
{
    public override string ToText()
    {
        var text = Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return text + (Value.Offset == TimeSpan.Zero ? "Z" : Value.ToString("zzz", CultureInfo.InvariantCulture));
    }
}

/// <summary>A moment relative to evaluation time: <c>30 days ago</c> is <c>now</c> minus 30 × 24 hours.</summary>
public sealed record DaysAgoLiteral(int Days) : Literal
{
    public override string ToText() => Days.ToString(CultureInfo.InvariantCulture) + (Days == 1 ? " day ago" : " days ago");
}
