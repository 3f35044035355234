using System.Text;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// The text being read, turning character offsets into the line, column and caret snippet of an error message.
/// </summary>
internal sealed class SourceText(string text)
{
    private const int SnippetContext = 60;

    public string Text { get; } = text;

    public SegmentError ErrorAt(int offset, string message, string? path = null)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var lineStart = offset;
        while (lineStart > 0 && Text[lineStart - 1] is not ('\n' or '\r'))
        {
            lineStart--;
        }
        var line = 1;
        for (var i = 0; i < lineStart; i++)
        {
            // "\r\n" is one line break.
            if (Text[i] == '\n' || (Text[i] == '\r' && (i + 1 >= Text.Length || Text[i + 1] != '\n')))
            {
                line++;
            }
        }
        var lineEnd = offset;
        while (lineEnd < Text.Length && Text[lineEnd] is not ('\n' or '\r'))
        {
            lineEnd++;
        }
        var column = 1 + CountRunes(Text.AsSpan(lineStart, offset - lineStart));
        return new SegmentError(message, line, column, path, Snippet(lineStart, offset, lineEnd));
    }

    /// <summary>The line (or the part of a long line around the spot) and a caret under the spot.</summary>
    private string Snippet(int lineStart, int offset, int lineEnd)
    {
        var from = Math.Max(lineStart, offset - SnippetContext);
        var to = Math.Min(lineEnd, offset + SnippetContext);
        from = AvoidSplitPair(from);
        to = AvoidSplitPair(to);
        var shown = (from > lineStart ? "…" : "") + Text[from..to] + (to < lineEnd ? "…" : "");
        var caret = new StringBuilder(from > lineStart ? " " : "");
        foreach (var rune in Text.AsSpan(from, offset - from).EnumerateRunes())
        {
            // Keep the caret under the spot in a terminal: tabs stay tabs, wide (CJK) characters take two cells.
            caret.Append(rune.Value == '\t' ? "\t" : IsWide(rune) ? "\u3000" : " ");
        }
        return "  " + shown + Environment.NewLine + "  " + caret + "^";
    }

    private int AvoidSplitPair(int index) =>
        index > 0 && index < Text.Length && char.IsLowSurrogate(Text[index]) ? index - 1 : index;

    private static int CountRunes(ReadOnlySpan<char> span)
    {
        var count = 0;
        foreach (var _ in span.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    private static bool IsWide(Rune rune) => rune.Value is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF)
        or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60)
        or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x20000 and <= 0x3FFFD);
}
