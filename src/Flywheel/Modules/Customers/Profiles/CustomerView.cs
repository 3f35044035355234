using Flywheel.Modules.Customers.Model;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>A customer as the API returns it; <c>external_id</c> is the shop's id (the <c>customer_id</c> of events).</summary>
public sealed record CustomerView(
    string ExternalId, string? Name, string? Phone, string? Email, string? Gender, DateOnly? Birthday, string? Region, string? City,
    DateTimeOffset? RegisteredAt, string? RegistrationChannel, bool ConsentEmail, bool ConsentSms, bool ConsentPush,
    DateTimeOffset? FirstSeenAt, DateTimeOffset? LastSeenAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CustomerView From(Customer c) => new(
        c.ExternalId, c.Name, c.Phone, c.Email, c.Gender, c.Birthday, c.Region, c.City, c.RegisteredAt, c.RegistrationChannel,
        c.ConsentEmail, c.ConsentSms, c.ConsentPush, c.FirstSeenAt, c.LastSeenAt, c.CreatedAt, c.UpdatedAt);
}
