using static Flywheel.Modules.Segments.Language.ComparisonOperator;

namespace Flywheel.Modules.Segments.Language;

/// <summary>Which operators and which values each type admits. One table, read by the checker and by the docs.</summary>
public static class TypeRules
{
    private static readonly ComparisonOperator[] Textual = [Equal, NotEqual, In, NotIn, Contains, IsNull, IsNotNull];
    private static readonly ComparisonOperator[] Listed = [Equal, NotEqual, In, NotIn, IsNull, IsNotNull];
    private static readonly ComparisonOperator[] Numeric = [Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual, In, NotIn, IsNull, IsNotNull];
    private static readonly ComparisonOperator[] Temporal = [Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual, Before, After, IsNull, IsNotNull];
    private static readonly ComparisonOperator[] Logical = [Equal, NotEqual, IsNull, IsNotNull];

    public static IReadOnlyList<ComparisonOperator> Operators(AttributeType type) => type switch
    {
        AttributeType.Text => Textual,
        AttributeType.Choice => Listed,
        AttributeType.Number or AttributeType.Money => Numeric,
        AttributeType.Date or AttributeType.Instant => Temporal,
        AttributeType.Flag => Logical,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Whether a value of this kind can be compared with the type (enum values are checked against the list apart).</summary>
    public static bool Accepts(AttributeType type, Literal value) => (type, value) switch
    {
        (AttributeType.Text or AttributeType.Choice, StringLiteral) => true,
        (AttributeType.Number or AttributeType.Money, NumberLiteral) => true,
        (AttributeType.Date, DateLiteral) => true,
        (AttributeType.Instant, DateLiteral or DateTimeLiteral or DaysAgoLiteral) => true,
        (AttributeType.Flag, BooleanLiteral) => true,
        _ => false,
    };

    /// <summary>
    /// For properties of unknown type (custom events, unlisted properties): the value must at least fit the operator,
    /// so that <c>contains 5</c> or <c>before 'x'</c> are caught even where the property's type is not.
    /// </summary>
    public static bool FitsOperator(ComparisonOperator op, Literal value) => op switch
    {
        Contains => value is StringLiteral,
        Before or After => value is DateLiteral or DateTimeLiteral or DaysAgoLiteral,
        Greater or GreaterOrEqual or Less or LessOrEqual => value is NumberLiteral or DateLiteral or DateTimeLiteral or DaysAgoLiteral,
        _ => value is not DaysAgoLiteral,
    };

    /// <summary>What a value for the type looks like, for messages.</summary>
    public static string ExpectedValue(AttributeType type) => type switch
    {
        AttributeType.Text or AttributeType.Choice => "a string in single quotes",
        AttributeType.Number or AttributeType.Money => "a number",
        AttributeType.Date => "a date (YYYY-MM-DD)",
        AttributeType.Instant => "a date (YYYY-MM-DD), a date-time or 'N days ago'",
        AttributeType.Flag => "true or false",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>What a value after the operator looks like when the type is unknown, for messages.</summary>
    public static string ExpectedValue(ComparisonOperator op) => op switch
    {
        Contains => "a string in single quotes",
        Before or After => "a date (YYYY-MM-DD), a date-time or 'N days ago'",
        Greater or GreaterOrEqual or Less or LessOrEqual => "a number or a date",
        _ => "a value (a string in single quotes, a number, a date, true or false)",
    };

    public static string Describe(AttributeType type) => type switch
    {
        AttributeType.Text => "a string",
        AttributeType.Number => "a number",
        AttributeType.Money => "an amount of money",
        AttributeType.Date => "a date",
        AttributeType.Instant => "a date-time",
        AttributeType.Choice => "one of a fixed list of values",
        AttributeType.Flag => "true or false",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>How a value reads in a message: <c>the string 'abc'</c>, <c>the number 5</c>.</summary>
    public static string Describe(Literal value) => value switch
    {
        StringLiteral => "the string " + value.ToText(),
        NumberLiteral => "the number " + value.ToText(),
        DateLiteral => "the date " + value.ToText(),
        DateTimeLiteral => "the date-time " + value.ToText(),
        _ => value.ToText(),
    };
}
