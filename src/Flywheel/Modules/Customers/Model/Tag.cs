using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Customers.Model;

/// <summary>How a tag's customers are chosen.</summary>
public enum TagKind
{
    /// <summary>Put on and taken off customers by people (API, CSV, console).</summary>
    Manual,
    /// <summary>Carried by exactly the customers a segment condition selects, kept current with it.</summary>
    Rule,
    /// <summary>Loaded from elsewhere (a CSV from another system, a clustering run) and replaced as a whole.</summary>
    Imported,
}

/// <summary>A tag of the workspace's catalogue (统一标签体系): one name, one meaning, one owner.</summary>
public sealed class Tag
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    /// <summary>Unique in the workspace, as <c>has tag 'name'</c> names it.</summary>
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>Who answers for the tag (a person or team, free text).</summary>
    public string? Owner { get; set; }
    public TagKind Kind { get; set; }
    /// <summary>The segment condition (canonical text) of a rule tag; null for the other kinds.</summary>
    public string? Condition { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A tag on a customer.</summary>
public sealed class CustomerTag
{
    public required string WorkspaceId { get; init; }
    public required string TagId { get; init; }
    public required string CustomerExternalId { get; init; }
    public DateTimeOffset TaggedAt { get; init; }
    /// <summary>Where the tag came from: "api", "csv", "console", "rule" or "import".</summary>
    public required string Source { get; init; }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> b)
    {
        b.ToTable("cdp_tags");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.Owner).HasMaxLength(200);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
    }
}

internal sealed class CustomerTagConfiguration : IEntityTypeConfiguration<CustomerTag>
{
    public void Configure(EntityTypeBuilder<CustomerTag> b)
    {
        b.ToTable("cdp_customer_tags");
        b.HasKey(x => new { x.TagId, x.CustomerExternalId });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.TagId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.Property(x => x.Source).HasMaxLength(20);
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerExternalId });
    }
}
