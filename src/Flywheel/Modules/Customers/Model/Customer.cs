using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Customers.Model;

/// <summary>
/// A known customer of a workspace, identified by the shop's own id (<see cref="ExternalId"/>, the
/// <c>customer_id</c> of events). Created by the customers API, CSV import, or the first event that names it.
/// </summary>
public sealed class Customer
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string ExternalId { get; init; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    /// <summary>"female", "male", "other" or null.</summary>
    public string? Gender { get; set; }
    public DateOnly? Birthday { get; set; }
    public string? Region { get; set; }
    public string? City { get; set; }
    public DateTimeOffset? RegisteredAt { get; set; }
    public string? RegistrationChannel { get; set; }
    public bool ConsentEmail { get; set; }
    public bool ConsentSms { get; set; }
    public bool ConsentPush { get; set; }
    /// <summary>Other attributes (identify traits, imported columns) as a JSON object.</summary>
    public string Attributes { get; set; } = "{}";
    public DateTimeOffset? FirstSeenAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An anonymous visitor id known to belong to a customer (from identify or a sign-in).</summary>
public sealed class IdentityLink
{
    public required string WorkspaceId { get; init; }
    public required string AnonymousId { get; init; }
    public required string CustomerExternalId { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("cdp_customers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.ExternalId }).IsUnique();
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Phone).HasMaxLength(40);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Gender).HasMaxLength(10);
        b.Property(x => x.Region).HasMaxLength(100);
        b.Property(x => x.City).HasMaxLength(100);
        b.Property(x => x.RegistrationChannel).HasMaxLength(100);
    }
}

internal sealed class IdentityLinkConfiguration : IEntityTypeConfiguration<IdentityLink>
{
    public void Configure(EntityTypeBuilder<IdentityLink> b)
    {
        b.ToTable("cdp_identity_links");
        b.HasKey(x => new { x.WorkspaceId, x.AnonymousId });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.AnonymousId).HasMaxLength(200);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        // A customer's timeline looks up the anonymous ids linked to them.
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerExternalId });
    }
}
