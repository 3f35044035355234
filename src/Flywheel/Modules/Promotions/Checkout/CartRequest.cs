using System.Text.Json;
using Flywheel.Modules.Promotions.Coupons;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// A cart as a shop's checkout sends it: lines (amounts in major units of the workspace currency), the customer and
/// the facts about them the shop knows (segments or tags, lifecycle stage, member tier, first order), the channel,
/// shipping options and the codes entered. The time is the server's.
/// </summary>
public sealed record CartRequest(Cart Cart, IReadOnlyList<string> Codes)
{
    public const int MaxLines = 500;

    /// <summary>The presale deposits whose balance this cart pays, found by the server (never sent by the shop).</summary>
    public IReadOnlyList<string> Deposits { get; init; } = [];

    public const int MaxCodes = 20;

    public static readonly string[] Fields = ["customer", "channel", "lines", "shipping_options", "selected_shipping", "coupon_codes"];

    public static CartRequest? Read(JsonElement body, string currency, DateTimeOffset now, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var money = MoneyUnits.Major(currency);
        CustomerFacts? customer = null;
        if (!j.Has("customer") || body.GetProperty("customer").ValueKind != JsonValueKind.Object)
        {
            errors.Add("customer", "is required: an object with at least an id.");
        }
        else
        {
            var c = new JsonInput(body.GetProperty("customer"), errors, "customer.");
            var id = Platform.Api.Fields.Required(c.Text("id"), "customer.id", 200, errors);
            customer = new CustomerFacts(id ?? "")
            {
                Segments = [.. c.Strings("segments") ?? [], .. c.Strings("tags") ?? []],
                Lifecycle = c.Text("lifecycle") ?? "",
                Tier = c.Text("tier") ?? "",
                IsFirstOrder = c.Bool("first_order") ?? false,
            };
        }
        var lines = j.Objects("lines");
        if (lines is null or { Count: 0 } && !errors.Has("lines"))
        {
            errors.Add("lines", "needs at least one line.");
        }
        if (lines is { Count: > MaxLines })
        {
            errors.Add("lines", $"has more than {MaxLines} lines.");
        }
        var cartLines = (lines ?? []).Select((l, i) => new CartLine(
            l.Text("id") ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            l.Text("sku") ?? "",
            l.WholeNumber("quantity") ?? Missing(l, "quantity"),
            money.Read(l, "unit_price") ?? Missing(l, "unit_price"))
        {
            Category = l.Text("category") ?? "",
            Brand = l.Text("brand") ?? "",
            Store = l.Text("store") ?? "",
        }).ToArray();
        var shipping = (j.Objects("shipping_options") ?? []).Select(s => new ShippingOption(s.Text("code") ?? "", money.Read(s, "price") ?? Missing(s, "price"))
        {
            Priority = s.Bool("priority") ?? false,
        }).ToArray();
        var codes = (j.Strings("coupon_codes") ?? []).Select(CouponCodes.Normalize).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (codes.Length > MaxCodes)
        {
            errors.Add("coupon_codes", $"has more than {MaxCodes} codes.");
        }
        if (errors.Any || customer is null)
        {
            return null;
        }
        var cart = new Cart
        {
            Currency = new Currency(currency),
            Lines = cartLines,
            Customer = customer,
            Now = now,
            Channel = j.Text("channel") ?? "",
            ShippingOptions = shipping,
            SelectedShipping = j.Text("selected_shipping"),
        };
        ValidationFields.AddTo(errors, CartValidation.Validate(cart));
        return errors.Any ? null : new CartRequest(cart, codes);
    }

    private static int Missing(JsonInput at, string name)
    {
        if (!at.Errors.Has(at.Field(name)))
        {
            at.Errors.Add(at.Field(name), "is required.");
        }
        return 0;
    }
}
