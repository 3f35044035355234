using System.Security.Claims;
using Flywheel.Modules.Customers.Tags;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Ui.Pages.Customers;

/// <summary>What the tag pages share: the whole catalogue (the API pages it), and customer ids typed into a text field.</summary>
public static class TagList
{
    /// <summary>Every tag of the workspace (of one kind when given), by name, through the list handler.</summary>
    public static async Task<List<TagView>> AllAsync(StateStore state, ClaimsPrincipal user, string? kind = null)
    {
        var all = new List<TagView>();
        string? cursor = null;
        await using var db = state.Open();
        do
        {
            var result = await ListTags.HandleAsync(kind, cursor, Cursor.MaxLimit, user, db, CancellationToken.None);
            if (result.Result is not Ok<Page<TagView>> { Value: { } page })
            {
                break;
            }
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Ids as pasted from a spreadsheet or typed: separated by commas (either width), semicolons, spaces or lines.</summary>
    public static List<string> Ids(string? text) =>
        [.. (text ?? "").Split([',', '，', ';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The tags page showing this tag's customers.</summary>
    public static string Href(string name) => "tags?tag=" + Uri.EscapeDataString(name);
}
