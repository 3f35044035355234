using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Workspaces.Model;

/// <summary>A console user. Email is stored lower-cased; the password as an ASP.NET Core Identity PBKDF2 hash.</summary>
public sealed class User
{
    public required string Id { get; init; }
    public required string Email { get; set; }
    public string DisplayName { get; set; } = "";
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A user's role in one workspace.</summary>
public sealed class Membership
{
    public required string WorkspaceId { get; init; }
    public required string UserId { get; init; }
    public Role Role { get; set; }
}

/// <summary>Console roles, most powerful first.</summary>
public enum Role
{
    Owner,
    Admin,
    Marketer,
    Analyst,
    Viewer,
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("ws_users");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.Email).HasMaxLength(320);
        b.HasIndex(x => x.Email).IsUnique();
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.Property(x => x.PasswordHash).HasMaxLength(400);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.ToTable("ws_memberships");
        b.HasKey(x => new { x.WorkspaceId, x.UserId });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.UserId).HasMaxLength(40);
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => x.UserId);
    }
}
