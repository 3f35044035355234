using Microsoft.Playwright;

namespace Flywheel.Tests.Support;

/// <summary>
/// A real headless Chromium driven by Playwright, shared by the tests of a class (<c>IClassFixture&lt;Chromium&gt;</c>);
/// each test gets a fresh context (its own cookies and storage) from <see cref="NewPageAsync"/>.
///
/// The browser is the machine's own (Playwright's browser downloads are not used): FLYWHEEL_CHROMIUM when set, else
/// /usr/bin/chromium or /usr/bin/chromium-browser. Without one the tests are skipped, except when CI=true, where a
/// missing browser is a failure so that a CI machine cannot silently stop running them.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string OverrideVariable = "FLYWHEEL_CHROMIUM";
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The executable used, or null when none was found.</summary>
    public string? ExecutablePath { get; } = Find();

    public async ValueTask InitializeAsync()
    {
        if (ExecutablePath is null)
        {
            return;
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
    }

    /// <summary>A page in a new browser context; skips (or, on CI, fails) the test when there is no Chromium.</summary>
    public async Task<BrowserPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        if (browser is null)
        {
            var message = $"No Chromium found: set {OverrideVariable} to its executable or install it (apt-get install chromium); "
                + $"looked at {string.Join(", ", Candidates)}.";
            Requirement.Missing(message);
        }
        var context = await browser.NewContextAsync(options);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
    }

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // A path given on purpose that does not exist is a mistake to report, not a reason to skip.
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"{OverrideVariable} is '{configured}', which does not exist.", configured);
        }
        return Candidates.FirstOrDefault(File.Exists);
    }
}

/// <summary>
/// A page in its own browser context, recording uncaught errors and console errors/warnings as they happen. Chromium's
/// own line for a failed or non-2xx resource load ("Failed to load resource: ...") is not counted: the browser writes
/// it for every such request and no page script can prevent it.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly List<string> errors = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.PageError += (_, error) => Record("page error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" && !message.Text.StartsWith("Failed to load resource: ", StringComparison.Ordinal))
            {
                Record($"console {message.Type}: {message.Text}");
            }
        };
    }

    public IPage Page { get; }
    public IBrowserContext Context => context;

    /// <summary>Errors so far: uncaught exceptions and rejections, and console errors and warnings.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();

    private void Record(string error)
    {
        lock (errors)
        {
            errors.Add(error);
        }
    }
}
