namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// The attributes and event types conditions may name, with their types: what the checker holds a condition against.
/// Plain data, so that the modules that add traits or custom attributes extend it with <see cref="With"/>.
/// </summary>
public sealed class SegmentCatalogue
{
    private readonly Dictionary<string, AttributeDefinition> _attributes;
    private readonly Dictionary<string, EventDefinition> _events;

    public SegmentCatalogue(IEnumerable<AttributeDefinition> attributes, IEnumerable<EventDefinition> events)
    {
        // A later definition of the same name replaces an earlier one, so that an extension can redefine a standard one.
        _attributes = [];
        foreach (var attribute in attributes)
        {
            _attributes[attribute.Name] = attribute;
        }
        _events = [];
        foreach (var definition in events)
        {
            _events[definition.Type] = definition;
        }
    }

    /// <summary>The profile attributes and computed traits of SPEC §3.2–3.3 and the standard events of docs/events.md.</summary>
    public static SegmentCatalogue Default { get; } = new(StandardAttributes.All, StandardEvents.All);

    public IReadOnlyCollection<AttributeDefinition> Attributes => _attributes.Values;

    public IReadOnlyCollection<EventDefinition> Events => _events.Values;

    public SegmentCatalogue With(IEnumerable<AttributeDefinition>? attributes = null, IEnumerable<EventDefinition>? events = null) =>
        new(_attributes.Values.Concat(attributes ?? []), _events.Values.Concat(events ?? []));

    public AttributeDefinition? FindAttribute(string name) => _attributes.GetValueOrDefault(name);

    /// <summary>Whether some known event type has a property of this name.</summary>
    public bool IsEventProperty(string name) => _events.Values.Any(e => e.Properties.Any(p => p.Name == name));

    /// <summary>The property's definition when the event type is known and lists it; otherwise it is untyped.</summary>
    public AttributeDefinition? FindProperty(string eventType, string property) =>
        _events.TryGetValue(eventType, out var definition) ? definition.Properties.FirstOrDefault(p => p.Name == property) : null;
}
