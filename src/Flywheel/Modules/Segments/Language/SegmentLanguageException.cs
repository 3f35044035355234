namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// The only exception the segment language throws for bad input, text or JSON: the parser stops at the first error,
/// the checker reports every error it finds.
/// </summary>
public sealed class SegmentLanguageException : Exception
{
    public SegmentLanguageException(IReadOnlyList<SegmentError> errors)
        : base(Describe(errors)) => Errors = errors;

    public SegmentLanguageException(SegmentError error)
        : this([error])
    {
    }

    public SegmentLanguageException()
        : this(new SegmentError("the condition is not valid"))
    {
    }

    public SegmentLanguageException(string message)
        : this(new SegmentError(message))
    {
    }

    public SegmentLanguageException(string message, Exception innerException)
        : base(message, innerException) => Errors = [new SegmentError(message)];

    public IReadOnlyList<SegmentError> Errors { get; }

    private static string Describe(IReadOnlyList<SegmentError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return string.Join(Environment.NewLine, errors.Select(e => e.Snippet is null ? e.ToString() : e + Environment.NewLine + e.Snippet));
    }
}
