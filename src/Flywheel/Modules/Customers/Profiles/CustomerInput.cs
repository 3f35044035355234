using Flywheel.Modules.Customers.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Import;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>A customer as a request or a CSV row carries it, before validation. Field names are the API's and the CSV's.</summary>
public sealed record CustomerInput(
    string? ExternalId, string? Name, string? Phone, string? Email, string? Gender, string? Birthday, string? Region, string? City,
    string? RegisteredAt, string? RegistrationChannel, bool? ConsentEmail, bool? ConsentSms, bool? ConsentPush)
{
    public static readonly string[] Columns =
    [
        "external_id", "name", "phone", "email", "gender", "birthday", "region", "city", "registered_at", "registration_channel",
        "consent_email", "consent_sms", "consent_push",
    ];

    public static readonly string[] RequiredColumns = ["external_id"];

    public static CustomerInput FromJson(JsonInput j) => new(
        j.Text("external_id"), j.Text("name"), j.Text("phone"), j.Text("email"), j.Text("gender"), j.Text("birthday"),
        j.Text("region"), j.Text("city"), j.Text("registered_at"), j.Text("registration_channel"),
        j.Bool("consent_email"), j.Bool("consent_sms"), j.Bool("consent_push"));

    public static CustomerInput FromCsv(CsvRow r) => new(
        r.Text("external_id"), r.Text("name"), r.Text("phone"), r.Text("email"), r.Text("gender"), r.Text("birthday"),
        r.Text("region"), r.Text("city"), r.Text("registered_at"), r.Text("registration_channel"),
        r.Bool("consent_email"), r.Bool("consent_sms"), r.Bool("consent_push"));
}

/// <summary>A valid customer's values. Consent is opt-in: absent means no.</summary>
public sealed record CustomerValues(
    string ExternalId, string? Name, string? Phone, string? Email, string? Gender, DateOnly? Birthday, string? Region, string? City,
    DateTimeOffset? RegisteredAt, string? RegistrationChannel, bool ConsentEmail, bool ConsentSms, bool ConsentPush);

public static class CustomerRules
{
    public static readonly string[] Genders = ["female", "male", "other"];

    public static CustomerValues? Validate(CustomerInput input, TimeZoneInfo zone, DateTimeOffset now, FieldErrors errors)
    {
        var externalId = Fields.Required(input.ExternalId, "external_id", 200, errors);
        if (externalId is not null && externalId.Contains('/', StringComparison.Ordinal))
        {
            errors.Add("external_id", "must not contain '/' (customer ids appear in URLs).");
        }
        var name = Fields.Optional(input.Name, "name", 200, errors);
        var phone = Fields.Optional(input.Phone, "phone", 40, errors);
        if (phone is not null && (!phone.Any(char.IsAsciiDigit) || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')')))
        {
            errors.Add("phone", $"'{phone}' is not a phone number (digits, optionally with + - ( ) and spaces).");
        }
        var email = Fields.Optional(input.Email, "email", 320, errors);
        if (email is not null)
        {
            var at = email.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Any(char.IsWhiteSpace))
            {
                errors.Add("email", $"'{email}' is not an email address.");
            }
        }
        var gender = Fields.Optional(input.Gender, "gender", 10, errors)?.ToLowerInvariant();
        if (gender is not null && !Genders.Contains(gender))
        {
            errors.Add("gender", $"must be one of {string.Join(", ", Genders)} (or left out).");
        }
        DateOnly? birthday = null;
        if (input.Birthday is not null)
        {
            if (!Instants.TryParseDate(input.Birthday, out var b))
            {
                errors.Add("birthday", $"'{input.Birthday}' is not a date in the form yyyy-MM-dd.");
            }
            else if (b.Year < 1900 || b > DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime))
            {
                errors.Add("birthday", "must be after 1900 and not in the future.");
            }
            else
            {
                birthday = b;
            }
        }
        DateTimeOffset? registeredAt = null;
        if (input.RegisteredAt is not null)
        {
            if (!Instants.TryParse(input.RegisteredAt, zone, out var r))
            {
                errors.Add("registered_at", $"'{input.RegisteredAt}' is not an ISO 8601 date-time (e.g. 2026-03-01T10:00:00+08:00).");
            }
            else
            {
                registeredAt = Instants.ToMilliseconds(r);
            }
        }
        var region = Fields.Optional(input.Region, "region", 100, errors);
        var city = Fields.Optional(input.City, "city", 100, errors);
        var channel = Fields.Optional(input.RegistrationChannel, "registration_channel", 100, errors);
        if (errors.Any)
        {
            return null;
        }
        return new CustomerValues(externalId!, name, phone, email, gender, birthday, region, city, registeredAt, channel,
            input.ConsentEmail ?? false, input.ConsentSms ?? false, input.ConsentPush ?? false);
    }

    /// <summary>Copies values onto a customer; false when nothing differed. Traits kept by events (first/last seen, attributes) are left alone.</summary>
    public static bool Apply(Customer c, CustomerValues v, DateTimeOffset now)
    {
        if (c.Name == v.Name && c.Phone == v.Phone && c.Email == v.Email && c.Gender == v.Gender && c.Birthday == v.Birthday
            && c.Region == v.Region && c.City == v.City && c.RegisteredAt == v.RegisteredAt && c.RegistrationChannel == v.RegistrationChannel
            && c.ConsentEmail == v.ConsentEmail && c.ConsentSms == v.ConsentSms && c.ConsentPush == v.ConsentPush)
        {
            return false;
        }
        c.Name = v.Name;
        c.Phone = v.Phone;
        c.Email = v.Email;
        c.Gender = v.Gender;
        c.Birthday = v.Birthday;
        c.Region = v.Region;
        c.City = v.City;
        c.RegisteredAt = v.RegisteredAt;
        c.RegistrationChannel = v.RegistrationChannel;
        c.ConsentEmail = v.ConsentEmail;
        c.ConsentSms = v.ConsentSms;
        c.ConsentPush = v.ConsentPush;
        c.UpdatedAt = now;
        return true;
    }

    public static Customer Create(string workspaceId, CustomerValues v, DateTimeOffset now)
    {
        var c = new Customer { Id = Ids.New("cus"), WorkspaceId = workspaceId, ExternalId = v.ExternalId, CreatedAt = now };
        Apply(c, v, now);
        c.UpdatedAt = now;
        return c;
    }
}
