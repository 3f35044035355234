namespace Flywheel.Modules.Segments.Language;

/// <summary>The text form of segment conditions: <c>lifecycle = 'dormant' and orders_count >= 2</c>.</summary>
public static class SegmentText
{
    /// <summary>
    /// Reads a condition, or throws <see cref="SegmentLanguageException"/> with the first error's line, column and what
    /// was expected there. Only the syntax is checked; <see cref="SegmentChecker"/> checks names and types.
    /// </summary>
    /// <param name="text">The condition, at most <see cref="SegmentLimits.MaxTextLength"/> characters.</param>
    /// <param name="catalogue">When given, makes messages name the type an attribute expects.</param>
    public static Condition Parse(string text, SegmentCatalogue? catalogue = null) => Parser.Parse(text, catalogue).Condition;

    /// <summary>As <see cref="Parse"/>, keeping where each part was written, for the checker's messages.</summary>
    public static ParsedText ParseWithPositions(string text, SegmentCatalogue? catalogue = null) => Parser.Parse(text, catalogue);

    /// <summary>
    /// The canonical text of the condition. A condition that passes <see cref="SegmentChecker"/> always prints to text
    /// that parses back to it; one with names the language cannot write (an attribute called "a b") does not.
    /// </summary>
    public static string Print(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Printer.Print(condition);
    }
}
