namespace Flywheel.Modules.Segments.Language;

/// <summary>The kinds of value an attribute or event property holds; each admits its own operators (<see cref="TypeRules"/>).</summary>
public enum AttributeType
{
    Text,
    Number,
    /// <summary>An amount in major units of the workspace currency, compared exactly.</summary>
    Money,
    /// <summary>A calendar day with no time (a birthday).</summary>
    Date,
    /// <summary>An instant; compared with a date, the date's whole day in the workspace time zone is meant.</summary>
    Instant,
    /// <summary>One of a fixed list of strings (<see cref="AttributeDefinition.AllowedValues"/>).</summary>
    Choice,
    /// <summary>true or false.</summary>
    Flag,
}

/// <summary>A customer attribute, computed trait or event property the checker knows by name.</summary>
public sealed record AttributeDefinition(string Name, AttributeType Type, string Description, ValueList<string>? AllowedValues = null)
{
    public static AttributeDefinition OneOf(string name, string description, params string[] values) =>
        new(name, AttributeType.Choice, description, ValueList.Create<string>(values));
}

/// <summary>An event type whose properties are known. Properties not listed are allowed and not type-checked.</summary>
public sealed record EventDefinition(string Type, ValueList<AttributeDefinition> Properties);
