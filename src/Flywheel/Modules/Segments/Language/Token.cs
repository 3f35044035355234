namespace Flywheel.Modules.Segments.Language;

internal enum TokenKind
{
    /// <summary>A name or a keyword; keywords are recognised by the parser where they can occur, case-insensitively.</summary>
    Word,
    String,
    Number,
    Date,
    DateTime,
    /// <summary>One of = != &gt; &gt;= &lt; &lt;= ( ) , .</summary>
    Symbol,
    End,
}

/// <summary>
/// A piece of the text. <see cref="Value"/> holds what a literal token means (the unescaped string, the exact number,
/// the date), so that the parser never re-reads the source.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Offset, object? Value = null)
{
    public bool IsWord(string keyword) => Kind == TokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    /// <summary>The token as an error message shows what was found.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the input",
        TokenKind.String when Text.Length > 40 => "the string " + Text[..37] + "…",
        TokenKind.String => "the string " + Text,
        _ when Text.Length > 40 => "'" + Text[..37] + "…'",
        _ => "'" + Text + "'",
    };
}
