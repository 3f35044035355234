using Flywheel.Modules.Customers.Model;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>A tag of the catalogue as the API shows it; <see cref="Members"/> counts the customers carrying it.</summary>
public sealed record TagView(
    string Name, string Kind, string? Description, string? Owner, string? Condition, int Members,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TagView From(Tag tag, int members) =>
        new(tag.Name, TagKinds.Name(tag.Kind), tag.Description, tag.Owner, tag.Condition, members, tag.CreatedAt, tag.UpdatedAt);
}

/// <summary>A tag's fields as the audit log records them before and after a change.</summary>
public sealed record TagAuditView(string Name, string Kind, string? Description, string? Owner, string? Condition)
{
    public static TagAuditView From(Tag tag) => new(tag.Name, TagKinds.Name(tag.Kind), tag.Description, tag.Owner, tag.Condition);
}

/// <summary>A customer carrying a tag: since when, and how the tag was put on.</summary>
public sealed record TagMemberView(string CustomerId, DateTimeOffset TaggedAt, string Source);

/// <summary>A tag on one customer.</summary>
public sealed record CustomerTagView(string Name, string Kind, DateTimeOffset TaggedAt, string Source);
