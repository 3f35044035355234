using Flywheel.Platform.Api;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>Reads the JSON bodies of the tag endpoints.</summary>
internal static class TagBodies
{
    /// <summary>{"customer_ids": [...]}: the ids as given, or null with errors.</summary>
    public static async Task<IReadOnlyList<string>?> ReadCustomerIdsAsync(HttpRequest request, FieldErrors errors, CancellationToken ct)
    {
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "customer_ids");
        if (document is null)
        {
            return null;
        }
        var ids = new JsonInput(document.RootElement, errors).Strings("customer_ids");
        if (ids is null && !errors.Any)
        {
            errors.Add("customer_ids", "is required: an array of customer ids.");
        }
        return ids;
    }
}
