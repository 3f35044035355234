using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Modules.Analytics.Funnels;
using Flywheel.Modules.Analytics.Retention;
using Flywheel.Modules.Customers.Rfm;
using Flywheel.Modules.Segments.Clustering;
using Flywheel.Modules.Segments.Segments;
using Flywheel.Modules.Workspaces.Access;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Flywheel.Ui;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Services;

namespace Flywheel.Tests.Ui;

/// <summary>
/// A console page rendered by bUnit against a real Flywheel host's stores: the page calls the same handlers and
/// writes the same SQLite database as the running console would, signed in as a chosen member of the workspace.
/// </summary>
public sealed class ConsoleTest : IAsyncDisposable
{
    private ConsoleTest(FlywheelApp app, string workspaceId, string ownerId)
    {
        App = app;
        WorkspaceId = workspaceId;
        OwnerId = ownerId;
        Bunit = new BunitContext();
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddLocalization();
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<StateStore>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<ApiKeys>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<TimeProvider>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<OrderAttributionQuery>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<RfmScoringRun>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<FunnelQuery>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<RetentionQuery>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Analytics.Dashboard.DashboardQuery>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Analytics.Insights.InsightsQuery>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Analytics.Reports.ReportDelivery>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Analytics.Reports.ReportRunner>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Analytics.Reports.ReportScheduler>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<CustomerClustering>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<SegmentService>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<SegmentInsights>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<IEventStore>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<IngestPipeline>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Promotions.Holds.HoldLedger>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Promotions.Checkout.CheckoutService>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Platform.Counters.ICounters>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Promotions.FlashSales.FlashSaleGate>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Promotions.FlashSales.FlashSaleCatalog>());
        Bunit.Services.AddSingleton(app.Services.GetRequiredService<Flywheel.Modules.Promotions.Presales.PresaleSettlement>());
        Bunit.Services.AddScoped<ConsoleSession>();
    }

    public FlywheelApp App { get; }
    public BunitContext Bunit { get; }
    public string WorkspaceId { get; }
    /// <summary>The owner Flywheel creates on first start (<see cref="FlywheelApp.AdminEmail"/>).</summary>
    public string OwnerId { get; }

    public StateStore State => App.Services.GetRequiredService<StateStore>();

    public NavigationManager Navigation => Bunit.Services.GetRequiredService<NavigationManager>();

    /// <summary>
    /// Pages in English whatever the machine's language. Call it from the test method itself: the culture lives in the
    /// test's execution context and would not flow back out of an async helper.
    /// </summary>
    public static void UseEnglish()
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    /// <param name="configure">Last changes to the host's services, such as a FakeTimeProvider for the clock.</param>
    public static async Task<ConsoleTest> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var app = await FlywheelApp.StartAsync(configure: configure);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var owner = await db.Users.SingleAsync(u => u.Email == FlywheelApp.AdminEmail);
        var membership = await db.Memberships.SingleAsync(m => m.UserId == owner.Id);
        return new ConsoleTest(app, membership.WorkspaceId, owner.Id);
    }

    /// <summary>Adds a member with a role through the users handler, as the owner would, and returns the member's id.</summary>
    public async Task<string> AddMemberAsync(string email, Role role)
    {
        await using var db = State.Open();
        var owner = Sessions.PrincipalFor(OwnerId, WorkspaceId, Role.Owner);
        var result = await Users.AddAsync(new Users.AddUserRequest(email, "a long enough password", email, Roles.Name(role)), owner, db, TimeProvider.System, CancellationToken.None);
        return Assert.IsType<Created<Users.UserView>>(result.Result).Value!.Id;
    }

    /// <summary>Signs the console in as a member with the claims a session cookie carries, and loads the session as the layout does.</summary>
    public async Task SignInAsync(string userId, Role role)
    {
        var auth = Bunit.AddAuthorization();
        auth.SetAuthorized(userId);
        auth.SetClaims(Sessions.PrincipalFor(userId, WorkspaceId, role).Claims.ToArray());
        await Bunit.Services.GetRequiredService<ConsoleSession>().LoadAsync();
    }

    public Task SignInAsOwnerAsync() => SignInAsync(OwnerId, Role.Owner);

    /// <summary>Renders a page inside the providers the layout supplies (popovers, dialogs, snackbars).</summary>
    /// <param name="id">The page's route value, such as a customer's id.</param>
    /// <param name="parameter">The name of the page's route parameter.</param>
    public IRenderedComponent<ContainerFragment> Render<TPage>(string? id = null, string parameter = "Id") where TPage : IComponent =>
        Bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(3);
            if (id is not null)
            {
                builder.AddAttribute(4, parameter, id);
            }
            builder.CloseComponent();
        });

    /// <summary>
    /// Clicks the element a selector finds, finding it on the renderer's thread: a render from a load finishing in
    /// the background between finding and clicking would otherwise retire the handler the click names.
    /// </summary>
    public static Task ClickAsync<TComponent>(IRenderedComponent<TComponent> page, string selector)
        where TComponent : IComponent =>
        page.InvokeAsync(() => page.Find(selector).Click());

    /// <summary>Changes a marked field's input on the renderer's thread, for the same reason as <see cref="ClickAsync"/>.</summary>
    public static Task ChangeAsync<TValue>(IRenderedComponent<ContainerFragment> page, string testId, TValue value) =>
        page.InvokeAsync(() => Input(page, testId).Change(value));

    /// <summary>The input element of a MudBlazor field marked with a data-testid.</summary>
    public static IElement Input(IRenderedComponent<ContainerFragment> page, string testId)
    {
        var marked = page.Find($"[data-testid='{testId}']");
        return marked.TagName is "INPUT" or "TEXTAREA" ? marked : marked.QuerySelector("input") ?? throw new InvalidOperationException($"No input in {testId}.");
    }

    /// <summary>The whole field (input, label and its helper or error text) around a marked input.</summary>
    public static IElement Field(IRenderedComponent<ContainerFragment> page, string testId) =>
        Input(page, testId).Closest(".mud-input-control") ?? throw new InvalidOperationException($"No field around {testId}.");

    /// <summary>A button inside the open dialog, by its text.</summary>
    public static IElement DialogButton(IRenderedComponent<ContainerFragment> page, string text) =>
        page.FindAll(".mud-dialog button").SingleOrDefault(b => b.TextContent.Trim() == text)
            ?? throw new InvalidOperationException($"No dialog button '{text}' in: {page.Markup}");

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await App.DisposeAsync();
    }
}
