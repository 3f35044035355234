using System.Text.RegularExpressions;

namespace Flywheel.Modules.Segments.Language;

/// <summary>What may be written as the name of an attribute, an event type or an event property.</summary>
internal static partial class Names
{
    /// <summary>
    /// Words that begin or join conditions and operators. They cannot be names, so that <c>x in (...)</c> and
    /// <c>did x in last 7 days</c> read one way only.
    /// </summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "not", "did", "in", "is", "null", "true", "false", "between", "where", "at", "exactly",
        "contains", "before", "after",
    };

    public static bool IsReserved(string word) => Reserved.Contains(word);

    /// <summary>A word of the text form that is not reserved: letters of any script, digits and _.</summary>
    public static bool IsName(string name) => WordPattern().IsMatch(name) && !IsReserved(name);

    /// <summary>The rule for event types of docs/events.md, so that every type the store can hold can be named.</summary>
    public static bool IsEventType(string name) => name.Length <= 100 && EventTypePattern().IsMatch(name);

    [GeneratedRegex(@"\A[\p{L}_][\p{L}\p{Mn}\p{Mc}\p{Nd}_]*\z")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\A[a-z][a-z0-9_]*\z")]
    private static partial Regex EventTypePattern();
}
