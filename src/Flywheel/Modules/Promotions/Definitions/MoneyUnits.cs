using System.Text.Json.Nodes;
using Flywheel.Platform;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Promotions.Definitions;

/// <summary>
/// How amounts are written in a definition's JSON: in the API as decimal major units of the workspace currency
/// (199.50), in the state store as integer minor units (19950), so that a stored definition never depends on a
/// currency setting read later.
/// </summary>
public sealed class MoneyUnits
{
    private readonly string? currency;

    private MoneyUnits(string? currency) => this.currency = currency;

    /// <summary>Major units of <paramref name="currency"/>, as the API speaks.</summary>
    public static MoneyUnits Major(string currency) => new(currency);

    /// <summary>Integer minor units, as stored.</summary>
    public static readonly MoneyUnits Minor = new(null);

    public long? Read(JsonInput j, string name)
    {
        var value = j.Number(name);
        if (value is null)
        {
            return null;
        }
        if (currency is not null)
        {
            return Fields.Money(value, currency, j.Field(name), j.Errors);
        }
        if (value != decimal.Truncate(value.Value) || value is > long.MaxValue or < long.MinValue)
        {
            j.Errors.Add(j.Field(name), "must be a whole number of minor units.");
            return null;
        }
        return (long)value.Value;
    }

    public JsonNode Write(long minor) => currency is null ? JsonValue.Create(minor) : JsonValue.Create(Money.ToMajor(minor, currency));

    public JsonNode? Write(long? minor) => minor is { } m ? Write(m) : null;
}
