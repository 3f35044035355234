using Flywheel.Modules.Promotions.Bargains;
using Flywheel.Modules.Promotions.Budgets;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Coupons;
using Flywheel.Modules.Promotions.FlashSales;
using Flywheel.Modules.Promotions.GroupBuys;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Management;
using Flywheel.Modules.Promotions.Presales;
using Flywheel.Modules.Promotions.Replay;
using Flywheel.Modules.Promotions.Simulation;

namespace Flywheel.Modules.Promotions;

/// <summary>Promotions: stored promotions and coupons priced by the pricing core, and checkout's reserve → commit / release.</summary>
public static class PromotionsModule
{
    public static WebApplicationBuilder AddPromotions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PromotionsOptions>().Bind(builder.Configuration.GetSection(PromotionsOptions.Section))
            .Validate(o => o.ReservationTtl > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero,
                "Promotions:ReservationTtl and Promotions:SweepInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<HoldLedger>();
        builder.Services.AddSingleton<LiveCatalog>();
        builder.Services.AddSingleton<CheckoutService>();
        builder.Services.AddSingleton<HoldSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HoldSweeper>());
        builder.Services.AddSingleton<OfferCheckout>();
        builder.Services.AddSingleton<GroupBuyService>();
        builder.Services.AddHostedService<GroupBuySweeper>();
        builder.Services.AddSingleton<BargainService>();
        builder.Services.AddSingleton<PresaleSettlement>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PresaleSettlement>());
        builder.Services.AddSingleton<FlashSaleCatalog>();
        builder.Services.AddSingleton<FlashSaleGate>();
        builder.Services.AddSingleton<FlashSaleAttempts>();
        builder.Services.AddSingleton<FlashSaleGateKeeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlashSaleGateKeeper>());
        return builder;
    }

    public static WebApplication MapPromotions(this WebApplication app)
    {
        var promotions = app.MapGroup("/api/v1").WithTags("Promotions");
        PromotionsApi.Map(promotions);
        CampaignBudgetsApi.Map(promotions);
        SimulationApi.Map(promotions);
        var coupons = app.MapGroup("/api/v1").WithTags("Coupons");
        CouponTemplatesApi.Map(coupons);
        GenerateCodes.Map(coupons);
        ClaimCoupon.Map(coupons);
        ListCoupons.Map(coupons);
        var checkout = app.MapGroup("/api/v1").WithTags("Checkout");
        CheckoutApi.Map(checkout);
        ReplayApi.Map(checkout);
        var groupBuys = app.MapGroup("/api/v1").WithTags("Group buys");
        GroupBuysApi.Map(groupBuys);
        GroupsApi.Map(groupBuys);
        var bargains = app.MapGroup("/api/v1").WithTags("Bargains");
        BargainsApi.Map(bargains);
        BargainInstancesApi.Map(bargains);
        var presales = app.MapGroup("/api/v1").WithTags("Presales");
        PresalesApi.Map(presales);
        PayDeposit.Map(presales);
        var flashSales = app.MapGroup("/api/v1").WithTags("Flash sales");
        FlashSalesApi.Map(flashSales);
        FlashSaleAttemptsApi.Map(flashSales);
        return app;
    }
}
