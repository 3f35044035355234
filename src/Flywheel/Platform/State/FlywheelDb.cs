using Flywheel.Modules.Analytics.Reports;
using Flywheel.Modules.Catalog.Model;
using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Marketing.Model;
using Flywheel.Modules.Orders.Model;
using Flywheel.Modules.Promotions.Bargains;
using Flywheel.Modules.Promotions.GroupBuys;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Presales;
using Flywheel.Modules.Segments.Model;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Cluster;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.State;

/// <summary>
/// The state store. One context for all modules; each module's tables carry its prefix. The model uses only
/// portable types (strings, integers, booleans, DateTimeOffset stored as ticks) so that it runs unchanged on
/// SQLite and PostgreSQL.
/// </summary>
public abstract class FlywheelDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Installation> Installation => Set<Installation>();
    /// <summary>The keys that sign session cookies, shared by every node of the installation.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<ProjectionCheckpoint> ProjectionCheckpoints => Set<ProjectionCheckpoint>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<IdentityLink> IdentityLinks => Set<IdentityLink>();
    public DbSet<CustomerTraitRow> CustomerTraits => Set<CustomerTraitRow>();
    public DbSet<RfmScore> RfmScores => Set<RfmScore>();
    public DbSet<RfmTransition> RfmTransitions => Set<RfmTransition>();
    public DbSet<RfmRun> RfmRuns => Set<RfmRun>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<CustomerTag> CustomerTags => Set<CustomerTag>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentMember> SegmentMembers => Set<SegmentMember>();
    public DbSet<SegmentChange> SegmentChanges => Set<SegmentChange>();
    public DbSet<SegmentTimer> SegmentTimers => Set<SegmentTimer>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<ReportSubscription> ReportSubscriptions => Set<ReportSubscription>();
    public DbSet<ReportRun> ReportRuns => Set<ReportRun>();
    public DbSet<ReportChart> ReportCharts => Set<ReportChart>();
    public DbSet<StoredPromotion> Promotions => Set<StoredPromotion>();
    public DbSet<PromotionVersion> PromotionVersions => Set<PromotionVersion>();
    public DbSet<Modules.Promotions.Budgets.CampaignBudget> CampaignBudgets => Set<Modules.Promotions.Budgets.CampaignBudget>();
    public DbSet<CouponTemplate> CouponTemplates => Set<CouponTemplate>();
    public DbSet<IssuedCoupon> Coupons => Set<IssuedCoupon>();
    public DbSet<FiniteResource> Resources => Set<FiniteResource>();
    public DbSet<Reservation> Reservations => Set<Reservation>();
    public DbSet<Hold> Holds => Set<Hold>();
    public DbSet<GroupBuyCampaign> GroupBuys => Set<GroupBuyCampaign>();
    public DbSet<GroupBuyGroup> GroupBuyGroups => Set<GroupBuyGroup>();
    public DbSet<BargainCampaign> BargainCampaigns => Set<BargainCampaign>();
    public DbSet<Bargain> Bargains => Set<Bargain>();
    public DbSet<BargainHelp> BargainHelps => Set<BargainHelp>();
    public DbSet<PresaleCampaign> Presales => Set<PresaleCampaign>();
    public DbSet<PresaleDeposit> PresaleDeposits => Set<PresaleDeposit>();
    public DbSet<Modules.Promotions.FlashSales.FlashSale> FlashSales => Set<Modules.Promotions.FlashSales.FlashSale>();
    public DbSet<AdSpend> AdSpend => Set<AdSpend>();
    public DbSet<MarketingSettings> MarketingSettings => Set<MarketingSettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FlywheelDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset columns; UTC ticks sort and compare on every provider.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetTicksConverter>();
    }
}
