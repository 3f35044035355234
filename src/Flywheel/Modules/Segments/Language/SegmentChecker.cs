namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Holds a parsed condition against a catalogue: names exist, operators suit their types, values have the right type
/// and lie in range. Reports every error, each at the spot in the text (when positions are given) and at its path in
/// the JSON form.
/// </summary>
public static class SegmentChecker
{
    public static IReadOnlyList<SegmentError> Check(Condition condition, SegmentCatalogue catalogue, SourcePositions? positions = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(catalogue);
        var walk = new CheckWalk(catalogue, positions);
        walk.Check(condition, "$");
        return walk.Errors;
    }

    /// <summary>Parses and checks text; throws <see cref="SegmentLanguageException"/> with every error found.</summary>
    public static Condition ReadText(string text, SegmentCatalogue catalogue)
    {
        var parsed = SegmentText.ParseWithPositions(text, catalogue);
        return ThrowIfAny(parsed.Condition, Check(parsed.Condition, catalogue, parsed.Positions));
    }

    /// <summary>Reads and checks the JSON form; throws <see cref="SegmentLanguageException"/> with every error found.</summary>
    public static Condition ReadJson(string json, SegmentCatalogue catalogue)
    {
        var condition = SegmentJson.Read(json);
        return ThrowIfAny(condition, Check(condition, catalogue));
    }

    private static Condition ThrowIfAny(Condition condition, IReadOnlyList<SegmentError> errors) =>
        errors.Count == 0 ? condition : throw new SegmentLanguageException(errors);
}
