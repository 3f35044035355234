namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Bounds on what the language reads, so that a pasted file or a generated condition a thousand levels deep gets a clear
/// error instead of exhausting the stack or the CPU. Far above what a person writes by hand or clicks together.
/// </summary>
public static class SegmentLimits
{
    /// <summary>Characters of text form.</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>Characters of JSON form, which spells out the same condition at several times the length.</summary>
    public const int MaxJsonLength = 200_000;

    /// <summary>
    /// Days a window or an "N days ago" reaches back: about a century, past any shop's history, and far from the ends of
    /// the calendar that subtracting from <c>now</c> would run into.
    /// </summary>
    public const int MaxDays = 36_500;

    /// <summary>Levels of nesting: parentheses, <c>not</c>, and groups of <c>and</c>/<c>or</c>.</summary>
    public const int MaxDepth = 32;
}
