namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>A problem in one place of the attribution input: the line (the header is line 1) and the field.</summary>
public sealed record InputError(int Line, string? Field, string Message)
{
    public override string ToString() => Field is null ? $"line {Line}: {Message}" : $"line {Line}, {Field}: {Message}";
}

/// <summary>
/// Attribution input that cannot be used. It lists every problem found, and none of the input is accepted, so that a
/// partly read file never yields figures that look complete.
/// </summary>
public sealed class AttributionInputException : Exception
{
    public AttributionInputException(IReadOnlyList<InputError> errors)
        : base(Describe(errors)) => Errors = errors;

    public AttributionInputException()
        : this("The attribution input is not valid.")
    {
    }

    public AttributionInputException(string message)
        : base(message) => Errors = [];

    public AttributionInputException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    public IReadOnlyList<InputError> Errors { get; }

    private static string Describe(IReadOnlyList<InputError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "The attribution input has errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors);
    }
}
