using System.Net;
using Bunit;
using Flywheel.Ui.Pages.Settings;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Ui;

public sealed class KeysPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Create_ShowsTheWorkingSecretOnce_AndNotAfterTheDialogIsClosed()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<KeysPage>();
        // First start creates a public and a secret key (docs/access.md, "First start").
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=key-prefix]").Count), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=key-create-open]");
        await ConsoleTest.ChangeAsync(page, "key-name", "reporting");
        await ConsoleTest.ChangeAsync(page, "key-scope-catalog:read", true);
        await ConsoleTest.ClickAsync(page, "[data-testid=key-create]");

        page.WaitForAssertion(() => page.Find("[data-testid=key-secret]"), Wait);
        var secret = page.Find("[data-testid=key-secret]").TextContent.Trim();
        Assert.StartsWith("fw_sk_", secret, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(page.Markup, secret));
        Assert.Contains("will not be shown again", page.Markup, StringComparison.Ordinal);

        // The key on screen is the real one, with the scope that was ticked and no other.
        using (var client = console.App.CreateClient(secret))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/products")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/keys")).StatusCode);
        }

        await ConsoleTest.ClickAsync(page, "[data-testid=key-secret-done]");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=key-secret]")), Wait);
        Assert.Equal(0, Occurrences(page.Markup, secret));
        // The list, reloaded after the creation, shows the new key by its prefix only.
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=key-prefix]").Count), Wait);
        var prefixes = page.FindAll("[data-testid=key-prefix]").Select(e => e.TextContent.TrimEnd('…')).ToList();
        Assert.Contains(prefixes, p => secret.StartsWith(p, StringComparison.Ordinal) && p.Length < secret.Length);
    }

    [Fact]
    public async Task Create_SecretKeyWithoutScopes_ShowsTheScopeError_AndCreatesNothing()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<KeysPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=key-prefix]").Count), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=key-create-open]");
        await ConsoleTest.ClickAsync(page, "[data-testid=key-create]");

        // The message of Keys.CreateAsync for a secret key with no scopes.
        page.WaitForAssertion(() => Assert.Contains("a secret key needs at least one scope", page.Find("[data-testid=key-scopes-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(page.FindAll("[data-testid=key-secret]"));
        await using var db = console.State.Open();
        Assert.Equal(2, await db.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task Revoke_AfterConfirming_RevokesTheKey()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        string keyId;
        await using (var db = console.State.Open())
        {
            keyId = (await db.ApiKeys.SingleAsync(k => k.Kind == Flywheel.Modules.Workspaces.Model.ApiKeyKind.Public)).Id;
        }
        var page = console.Render<KeysPage>();
        page.WaitForAssertion(() => page.Find($"[data-testid=key-revoke-{keyId}]"), Wait);

        await ConsoleTest.ClickAsync(page, $"[data-testid=key-revoke-{keyId}]");
        page.WaitForAssertion(() => ConsoleTest.DialogButton(page, "Revoke"), Wait);
        await page.InvokeAsync(() => ConsoleTest.DialogButton(page, "Revoke").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=key-revoke-{keyId}]")), Wait);
        await using var check = console.State.Open();
        Assert.NotNull((await check.ApiKeys.SingleAsync(k => k.Id == keyId)).RevokedAt);
        Assert.True(await check.AuditLog.AnyAsync(a => a.Action == "revoked" && a.EntityId == keyId));
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
