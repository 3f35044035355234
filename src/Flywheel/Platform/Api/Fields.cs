namespace Flywheel.Platform.Api;

/// <summary>The checks every input shares (text lengths, money), with the same messages in the API and in imports.</summary>
public static class Fields
{
    public static string? Required(string? value, string field, int maxLength, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required.");
            return null;
        }
        return Optional(value, field, maxLength, errors);
    }

    public static string? Optional(string? value, string field, int maxLength, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        value = value.Trim();
        if (value.Length > maxLength)
        {
            errors.Add(field, $"is longer than {maxLength} characters.");
            return null;
        }
        if (value.Any(char.IsControl))
        {
            errors.Add(field, "must not contain control characters.");
            return null;
        }
        return value;
    }

    /// <summary>A non-negative amount in major units converted to minor units; more decimals than the currency has is an error, never rounded.</summary>
    public static long? Money(decimal? amount, string currency, string field, FieldErrors errors)
    {
        if (amount is null)
        {
            return null;
        }
        if (amount < 0)
        {
            errors.Add(field, "must not be negative.");
            return null;
        }
        if (!Platform.Money.TryToMinor(amount.Value, currency, out var minor))
        {
            var digits = Platform.Money.MinorDigits(currency);
            errors.Add(field, digits == 0
                ? $"must be a whole amount: {currency} has no minor units."
                : $"has more than {digits} decimals, more than {currency} allows ({amount}).");
            return null;
        }
        return minor;
    }

    public static string? Currency(string? value, string field, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length != 3 || !value.All(char.IsAsciiLetterUpper))
        {
            errors.Add(field, "must be a three-letter upper-case ISO 4217 code such as 'CNY'.");
            return null;
        }
        return value;
    }

    /// <summary>A date query parameter (yyyy-MM-dd); null when absent, or with an error when it is not a date.</summary>
    public static DateOnly? Date(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!Instants.TryParseDate(text, out var date))
        {
            errors.Add(field, $"'{text}' is not a date (yyyy-MM-dd, e.g. 2026-11-01).");
            return null;
        }
        return date;
    }

    /// <summary>A whole-number query parameter in [min, max]; <paramref name="fallback"/> when absent or (with an error) wrong.</summary>
    public static int WholeNumber(string? text, string field, int fallback, int min, int max, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }
        errors.Add(field, $"'{text}' is not a whole number from {min} to {max}.");
        return fallback;
    }

    /// <summary>
    /// One of <paramref name="choices"/> by name; <paramref name="fallback"/>'s value when absent, or (with an error naming
    /// the choices) when the name is none of them.
    /// </summary>
    public static T Choice<T>(string? text, string field, string fallback, IReadOnlyDictionary<string, T> choices, FieldErrors errors) where T : struct
    {
        if (choices.TryGetValue(string.IsNullOrEmpty(text) ? fallback : text, out var value))
        {
            return value;
        }
        errors.Add(field, $"'{text}' is not one of {string.Join(", ", choices.Keys)}.");
        return choices[fallback];
    }
}
