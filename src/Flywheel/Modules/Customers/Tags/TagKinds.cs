using Flywheel.Modules.Customers.Model;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>The API's names for <see cref="TagKind"/>, and where a tag on a customer came from.</summary>
public static class TagKinds
{
    public static readonly string[] Names = [.. Enum.GetValues<TagKind>().Select(Name)];

    public static string Name(TagKind kind) => kind switch
    {
        TagKind.Manual => "manual",
        TagKind.Rule => "rule",
        TagKind.Imported => "imported",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? text, out TagKind kind)
    {
        foreach (var candidate in Enum.GetValues<TagKind>())
        {
            if (string.Equals(text, Name(candidate), StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static string Expected => string.Join(", ", Names.SkipLast(1)) + " or " + Names[^1];
}

/// <summary>Values of <see cref="CustomerTag.Source"/>.</summary>
public static class TagSources
{
    public const string Api = "api";
    public const string Csv = "csv";
    public const string Console = "console";
    /// <summary>Written by the segment engine for rule tags.</summary>
    public const string Rule = "rule";
    /// <summary>Written by other modules through the contract (a clustering run turned into a tag).</summary>
    public const string Import = "import";

    public static readonly string[] All = [Api, Csv, Console, Rule, Import];
}
