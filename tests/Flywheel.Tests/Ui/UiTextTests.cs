using System.Text.RegularExpressions;
using System.Xml.Linq;
using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Modules.Analytics.Dashboard;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Customers.Rfm;
using Flywheel.Modules.Customers.Tags;
using Flywheel.Modules.Customers.Traits;
using Flywheel.Modules.Orders.Model;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Modules.Segments.Clustering;
using Flywheel.Modules.Workspaces.Access;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform.Auth;
using Flywheel.Ui.Pages.Settings;

namespace Flywheel.Tests.Ui;

/// <summary>The console's strings: both languages complete, and every key a page asks for present.</summary>
public sealed partial class UiTextTests
{
    private static readonly string UiDir = Path.Combine(RepoRoot(), "src", "Flywheel", "Ui");

    /// <summary>
    /// Keys built from a prefix and a value: each prefix with every value a page can meet. A page that builds keys from
    /// a new prefix fails <see cref="EveryKeyUsedByAPage_Exists"/> until the prefix is listed here.
    /// </summary>
    private static readonly Dictionary<string, string[]> Built = new(StringComparer.Ordinal)
    {
        ["Role."] = Enum.GetValues<Role>().Select(Roles.Name).ToArray(),
        ["OrderStatus."] = Enum.GetValues<OrderStatus>().Select(OrderRules.StatusName).ToArray(),
        ["Gender."] = CustomerRules.Genders,
        ["Lifecycle."] = Enum.GetValues<LifecycleStage>().Select(Lifecycle.Name).ToArray(),
        ["Rfm."] = [.. RfmScoring.Groups],
        ["TagKind."] = TagKinds.Names,
        ["TagKindHint."] = TagKinds.Names,
        ["TagSource."] = TagSources.All,
        ["Clusters.Feature."] = [.. CustomerFeatures.Keys],
        // A label word per feature and direction, and the word for a cluster that stands out on nothing.
        ["Clusters.Label."] = [.. CustomerFeatures.Keys.SelectMany(k => new[] { k + ".high", k + ".low" }), "typical"],
        ["Funnel.Order."] = ["ordered", "strict", "any"],
        ["Retention.Grain."] = ["day", "week", "month"],
        ["Retention.Mode."] = ["calendar", "rolling"],
        ["Dashboard.Compare."] = [.. DashboardRequest.Comparisons.Keys],
        ["Dashboard.Group."] = [.. DashboardMetrics.Groups],
        ["Metric."] = [.. DashboardMetrics.All.Select(m => m.Key)],
        ["Attribution.Model."] = [.. Enum.GetValues<AttributionModel>().Select(AttributionApi.Name)],
        ["Scope."] = Scopes.All,
        ["Insights.Metric."] = [.. Flywheel.Modules.Analytics.Insights.InsightsQuery.Metrics],
        ["Insights.Severity."] = ["medium", "high"],
        ["Insights.Factor."] = ["uv", "order_rate", "payment_rate", "aov"],
        ["Insights.Dimension."] = [.. Flywheel.Modules.Analytics.Insights.ChangeExplanation.Dimensions],
        ["Reports.Cadence."] = [.. Flywheel.Modules.Analytics.Reports.ReportCadences.All],
        ["Reports.Metric."] = [.. Flywheel.Modules.Analytics.Reports.ReportMaker.Metrics],
        ["Reports.Trigger."] = ["schedule", "manual"],
        ["Reports.Status."] = ["running", "done", "failed"],
        ["Reports.Webhook."] = ["none", "pending", "delivered", "failed"],
        ["Promotions.Class."] = [.. Flywheel.Modules.Promotions.Definitions.DefinitionJson.Classes.Keys],
        ["Promotions.Status."] = Flywheel.Modules.Promotions.Model.PromotionStatus.All,
        ["Promotions.Kind."] = Flywheel.Modules.Promotions.Definitions.DefinitionJson.RewardKinds,
        ["Coupons.State."] = ["unclaimed", "claimed", "locked", "redeemed", "expired"],
        ["GroupBuys.Field."] = Flywheel.Ui.Pages.Promotions.GroupBuysPage.FormFields,
        ["GroupBuys.State."] = Flywheel.Modules.Promotions.GroupBuys.GroupState.All,
        // A member is the ledger's reservation holding a seat: held until the group is decided, then committed or released.
        ["GroupBuys.Member."] = ["held", "committed", "released", "expired"],
        ["Bargains.Field."] = Flywheel.Ui.Pages.Promotions.BargainsPage.FormFields,
        ["Bargains.State."] = Flywheel.Modules.Promotions.Bargains.BargainState.All,
        ["Presales.State."] = Flywheel.Modules.Promotions.Presales.DepositState.All,
        ["Presales.Phase."] = ["upcoming", "deposit", "waiting_for_balance", "balance", "ended", "cancelled"],
        ["Presales.Unpaid."] = Flywheel.Modules.Promotions.Presales.UnpaidDeposit.All,
        ["Presales.ThresholdBasis."] = Flywheel.Modules.Promotions.Presales.PresaleInput.ThresholdBases,
        ["FlashSales.State."] = ["upcoming", "open", "ended", "cancelled"],
        ["Simulator.Reason."] = [.. Enum.GetValues<Flywheel.Modules.Promotions.Pricing.RejectionReason>().Select(Flywheel.Modules.Promotions.Checkout.QuoteView.Reason)],
        ["Simulator.Code."] = ["unknown_code", "claimed_by_another_customer", "template_paused", "template_ended"],
        ["Keys.Kind."] = ["public", "secret"],
        ["Keys.KindHint."] = ["public", "secret"],
        ["Currency."] = WorkspaceFields.Currencies,
        ["Audit.Action."] = AuditPage.Actions,
        ["Audit.Entity."] = AuditPage.EntityTypes,
        // Order.Source on the order model: "api", "import" or "event".
        ["Order.Source."] = ["api", "import", "event"],
        // Event names fall back to the event type itself, so custom events need no text; the types listed get one.
        ["Event."] = [],
    };

    [Fact]
    public void EnglishAndChinese_HaveTheSameKeys_AndNoEmptyText()
    {
        var en = Load("UiText.resx");
        var zh = Load("UiText.zh-CN.resx");

        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.Empty(en.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key));
        Assert.Empty(zh.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key));
    }

    [Fact]
    public void ChineseText_IsChinese()
    {
        // Keys whose text is the same in both languages: codes and names (SKU, API).
        string[] same = ["Order.Source.api", "Product.Sku"];
        var en = Load("UiText.resx");
        var zh = Load("UiText.zh-CN.resx");

        var untranslated = zh.Where(kv => !same.Contains(kv.Key) && kv.Value == en.GetValueOrDefault(kv.Key)).Select(kv => kv.Key);

        Assert.Empty(untranslated);
    }

    [Fact]
    public void EveryKeyUsedByAPage_Exists()
    {
        var keys = Load("UiText.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var razor = Directory.EnumerateFiles(UiDir, "*.razor", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(UiDir, f), File.ReadAllText);
        Assert.NotEmpty(razor);

        var missing = new List<string>();
        foreach (var (file, text) in razor)
        {
            foreach (Match m in LiteralKey().Matches(text))
            {
                if (!keys.Contains(m.Groups[1].Value))
                {
                    missing.Add($"{file}: {m.Groups[1].Value}");
                }
            }
            foreach (Match m in BuiltKey().Matches(text))
            {
                var prefix = m.Groups[1].Value;
                if (!Built.TryGetValue(prefix, out var values))
                {
                    missing.Add($"{file}: keys built from '{prefix}' (list its values in {nameof(Built)})");
                    continue;
                }
                missing.AddRange(values.Where(v => !keys.Contains(prefix + v)).Select(v => $"{file}: {prefix}{v}"));
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void KeyScanner_FindsLiteralAndBuiltKeys()
    {
        // The scanner itself, on a sample: a broken pattern would let every other check here pass vacuously.
        const string sample = """<MudText>@L["Nav.Orders"]</MudText> @L["Role." + Session.Role] @L[ "Not.A.Key" ]""";

        Assert.Equal(["Nav.Orders"], LiteralKey().Matches(sample).Select(m => m.Groups[1].Value));
        Assert.Equal(["Role."], BuiltKey().Matches(sample).Select(m => m.Groups[1].Value));
    }

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(UiDir, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flywheel.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Flywheel.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""L\["([^"]+)"\]""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex("""L\["([^"]+)"\s*\+""")]
    private static partial Regex BuiltKey();
}
