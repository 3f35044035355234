namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// What is wrong with a condition and where. Errors in text carry a 1-based <see cref="Line"/> and <see cref="Column"/>
/// (columns count characters as a reader sees them, so '上' is one) and a <see cref="Snippet"/> with a caret under the
/// spot. Errors found by the checker also carry the <see cref="Path"/> of the offending part in the JSON form, which is
/// all they carry when the condition came as JSON.
/// </summary>
public sealed record SegmentError(string Message, int? Line = null, int? Column = null, string? Path = null, string? Snippet = null)
{
    public override string ToString() => Line is { } line
        ? $"line {line}, column {Column}: {Message}"
        : Path is null ? Message : $"{Path}: {Message}";
}
