using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Splits text into tokens. Literals are read here, exactly: numbers as <see cref="decimal"/>, dates as
/// <see cref="DateOnly"/>, date-times as <see cref="DateTimeOffset"/>. Stops at the first character it cannot read.
/// </summary>
internal static partial class Tokenizer
{
    public static List<Token> Read(SourceText source)
    {
        var text = source.Text;
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", text.Length));
                return tokens;
            }
            var c = text[i];
            var token = c switch
            {
                '\'' => ReadString(source, i),
                '"' => throw Error(source, i, "strings are written in single quotes ('…'), not double quotes"),
                _ when char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])) => ReadNumberOrDate(source, i),
                _ when IsWordStart(text, i) => ReadWord(text, i),
                _ => ReadSymbol(source, i),
            };
            tokens.Add(token);
            i += token.Text.Length;
        }
    }

    private static Token ReadString(SourceText source, int start)
    {
        var text = source.Text;
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }
                return new Token(TokenKind.String, text[start..(i + 1)], start, value.ToString());
            }
            value.Append(text[i]);
            i++;
        }
        throw Error(source, start, "this string is never closed; expected a ' at its end (a quote inside a string is written '')");
    }

    private static Token ReadNumberOrDate(SourceText source, int start)
    {
        var text = source.Text;
        var date = DateLike().Match(text, start);
        if (date.Success && text[start] != '-')
        {
            return date.Groups["time"].Success ? ReadDateTime(source, start, date) : ReadDate(source, start, date.Value);
        }
        var number = NumberLike().Match(text, start);
        if (!decimal.TryParse(number.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(source, start, $"the number {number.Value} is too large; expected at most 28 digits");
        }
        return new Token(TokenKind.Number, number.Value, start, value);
    }

    private static Token ReadDate(SourceText source, int start, string text)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw Error(source, start, $"{text} is not a date; expected a real day as YYYY-MM-DD");
        }
        return new Token(TokenKind.Date, text, start, date);
    }

    private static Token ReadDateTime(SourceText source, int start, Match match)
    {
        if (!match.Groups["offset"].Success)
        {
            throw Error(source, start + match.Length,
                $"expected a time zone offset after {match.Value} (Z for UTC, or like +08:00); or write the date alone, which means that day in the workspace time zone");
        }
        if (!DateTimeText.TryParse(match.Value, out var instant))
        {
            throw Error(source, start, $"{match.Value} is not a date-time; expected a real moment as YYYY-MM-DDTHH:MM:SS+08:00");
        }
        return new Token(TokenKind.DateTime, match.Value, start, instant);
    }

    private static Token ReadWord(string text, int start)
    {
        var i = start;
        while (i < text.Length && IsWordPart(text, i, out var width))
        {
            i += width;
        }
        return new Token(TokenKind.Word, text[start..i], start);
    }

    private static Token ReadSymbol(SourceText source, int start)
    {
        var text = source.Text;
        var two = start + 1 < text.Length ? text.Substring(start, 2) : "";
        if (two is "!=" or ">=" or "<=")
        {
            return new Token(TokenKind.Symbol, two, start);
        }
        if (two is "==" or "<>")
        {
            throw Error(source, start, $"expected = or != instead of {two}");
        }
        var c = text[start];
        if (c is '=' or '>' or '<' or '(' or ')' or ',' or '.')
        {
            return new Token(TokenKind.Symbol, c.ToString(), start);
        }
        var shown = char.IsSurrogatePair(text, start) ? text.Substring(start, 2) : c.ToString();
        var hint = c == '!' ? "; expected != for 'not equal'" : c is '&' or '|' ? "; expected 'and' or 'or'" : "";
        throw Error(source, start, $"unexpected character '{shown}'{hint}");
    }

    /// <summary>Names may be in any script (城市, 标签) but start with a letter or _.</summary>
    private static bool IsWordStart(string text, int i) =>
        Rune.TryGetRuneAt(text, i, out var rune) && (Rune.IsLetter(rune) || rune.Value == '_');

    private static bool IsWordPart(string text, int i, out int width)
    {
        width = 0;
        if (!Rune.TryGetRuneAt(text, i, out var rune))
        {
            return false;
        }
        width = rune.Utf16SequenceLength;
        var category = Rune.GetUnicodeCategory(rune);
        return Rune.IsLetterOrDigit(rune) || rune.Value == '_'
            || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    private static SegmentLanguageException Error(SourceText source, int offset, string message) =>
        new(source.ErrorAt(offset, message));

    [GeneratedRegex(@"\G[0-9]{4}-[0-9]{2}-[0-9]{2}(?<time>T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(?<offset>Z|[+-][0-9]{2}:[0-9]{2})?)?", RegexOptions.CultureInvariant)]
    private static partial Regex DateLike();

    [GeneratedRegex(@"\G-?[0-9]+(\.[0-9]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLike();
}
