namespace Flywheel.Modules.Segments.Language;

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    In,
    NotIn,
    Contains,
    IsNull,
    IsNotNull,
    Before,
    After,
}

/// <summary>How each operator is written (the same words in the text and the JSON form) and how many values it takes.</summary>
public static class ComparisonOperators
{
    private static readonly (ComparisonOperator Operator, string Text)[] Spellings =
    [
        (ComparisonOperator.Equal, "="),
        (ComparisonOperator.NotEqual, "!="),
        (ComparisonOperator.Greater, ">"),
        (ComparisonOperator.GreaterOrEqual, ">="),
        (ComparisonOperator.Less, "<"),
        (ComparisonOperator.LessOrEqual, "<="),
        (ComparisonOperator.In, "in"),
        (ComparisonOperator.NotIn, "not in"),
        (ComparisonOperator.Contains, "contains"),
        (ComparisonOperator.IsNull, "is null"),
        (ComparisonOperator.IsNotNull, "is not null"),
        (ComparisonOperator.Before, "before"),
        (ComparisonOperator.After, "after"),
    ];

    /// <summary>All spellings in order, for messages that list what was expected.</summary>
    public static string AllText { get; } = string.Join(", ", Spellings.Select(s => s.Text));

    public static string ToText(this ComparisonOperator op) => Spellings.First(s => s.Operator == op).Text;

    public static bool TryParse(string text, out ComparisonOperator op)
    {
        foreach (var (candidate, spelling) in Spellings)
        {
            if (string.Equals(spelling, text, StringComparison.OrdinalIgnoreCase))
            {
                op = candidate;
                return true;
            }
        }
        op = default;
        return false;
    }

    public static bool TakesNoValue(this ComparisonOperator op) => op is ComparisonOperator.IsNull or ComparisonOperator.IsNotNull;

    public static bool TakesList(this ComparisonOperator op) => op is ComparisonOperator.In or ComparisonOperator.NotIn;

    /// <summary>The operators an aggregate is compared with: a number against a number.</summary>
    public static bool IsNumeric(this ComparisonOperator op) => op is ComparisonOperator.Equal or ComparisonOperator.NotEqual
        or ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual or ComparisonOperator.Less or ComparisonOperator.LessOrEqual;
}
